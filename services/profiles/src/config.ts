import { BaseConfig, MemberDirectoryConfig } from '@crm/service-kit';
import { z } from 'zod';
import { parseKeyring } from './domain/privacy/field-crypto.js';

export const ProfilesConfig = BaseConfig.extend({
  ...MemberDirectoryConfig.shape,
  DEFAULT_CUSTOMER_STAGE: z
    .string()
    .min(1)
    .max(50)
    .default('new')
    .describe('Stage of a new customer (setting default_customer_stage)'),
  AUTO_CREATE_PROFILES: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('Create a profile for an unknown BookingX customer (setting auto_create_profiles)'),
  MAX_CUSTOM_FIELDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe('Custom field definitions a tenant may have (setting max_custom_fields)'),
  EXPORT_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('Admins may export customers as CSV (setting export_enabled)'),
  MEILI_URL: z
    .url()
    .optional()
    .describe('Meilisearch base URL; without it search runs on Postgres (tsvector + pg_trgm)'),
  MEILI_API_KEY: z.string().optional().describe('Meilisearch API key with search and write rights'),
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .default('crm_customers')
    .describe('Meilisearch index holding every tenant’s customers, filtered by tenant_id'),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('DE')
    .describe('Region assumed for phone numbers written without a country code'),
  FIELD_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .describe(
      'Master keyring wrapping the customers’ data keys: `v1:<base64 32 bytes>,v2:<base64>`; required in production (development falls back to a fixed key)',
    ),
  FIELD_ENCRYPTION_ACTIVE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional()
    .describe('Id of the master key new and re-wrapped data keys use; default the last one listed'),
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(10 * 1024 * 1024)
    .describe('Largest CSV file a customer import accepts, in bytes; larger uploads get 413'),
  IMPORT_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(5000)
    .default(100)
    .describe(
      'Rows of a CSV import committed together with their progress; other audited writes of the tenant wait up to one batch',
    ),
}).superRefine((config, ctx) => {
  if (config.NODE_ENV === 'production' && !config.FIELD_ENCRYPTION_KEYS) {
    ctx.addIssue({
      code: 'custom',
      path: ['FIELD_ENCRYPTION_KEYS'],
      message: 'required in production (the development key is public)',
    });
    return;
  }
  try {
    parseKeyring(config.FIELD_ENCRYPTION_KEYS, config.FIELD_ENCRYPTION_ACTIVE_KEY);
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      path: ['FIELD_ENCRYPTION_KEYS'],
      message: err instanceof Error ? err.message : String(err),
    });
  }
});
export type ProfilesConfig = z.infer<typeof ProfilesConfig>;
