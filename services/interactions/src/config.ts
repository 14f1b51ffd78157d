import { BaseConfig, CustomerReplicaConfig } from '@crm/service-kit';
import { z } from 'zod';

const flag = (fallback: 'true' | 'false', description: string) =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true')
    .describe(description);

/**
 * Defaults of the spec's tracking settings for a tenant that has not changed them, and where
 * profiles answers about customers the replica has not heard of yet.
 */
export const InteractionsConfig = BaseConfig.extend({
  ...CustomerReplicaConfig.shape,
  TRACK_BOOKINGS: flag('true', 'Default of track_bookings: record bookings, payments, purchases'),
  TRACK_EMAILS: flag('true', 'Default of track_emails'),
  TRACK_SMS: flag('true', 'Default of track_sms'),
  TRACK_CALLS: flag('false', 'Default of track_calls'),
  TRACK_WEBSITE_VISITS: flag('false', 'Default of track_website_visits'),
  TRACK_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(120)
    .describe('Page views accepted per tracking key and address per minute'),
});
export type InteractionsConfig = z.infer<typeof InteractionsConfig>;
