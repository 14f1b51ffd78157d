import { z } from 'zod';

export const CUSTOM_FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'decimal',
  'currency',
  'date',
  'datetime',
  'boolean',
  'select',
  'multiselect',
  'email',
  'phone',
  'url',
] as const;
export const CustomFieldType = z.enum(CUSTOM_FIELD_TYPES);
export type CustomFieldType = z.infer<typeof CustomFieldType>;

/** Longest value of a text field when the definition sets no `max`. */
export const TEXT_MAX = 255;
export const TEXTAREA_MAX = 10_000;

export const CustomFieldOption = z
  .object({
    value: z.string().trim().min(1).max(100),
    label: z.string().trim().min(1).max(200),
  })
  .strict()
  .meta({ id: 'CustomFieldOption' });
export type CustomFieldOption = z.infer<typeof CustomFieldOption>;

const bound = z
  .union([z.number(), z.string().max(40)])
  .describe(
    'Numbers for number, decimal and currency (amount in minor units); lengths for text, textarea, email, phone and url; counts for multiselect; YYYY-MM-DD or RFC 3339 for date and datetime',
  );

export const CustomFieldValidation = z
  .object({
    min: bound.optional(),
    max: bound.optional(),
    pattern: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Regular expression (Unicode) a text, textarea, email, phone or url value must match',
      ),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional()
      .describe('For currency fields: the one ISO 4217 currency accepted'),
  })
  .strict()
  .meta({ id: 'CustomFieldValidation' });
export type CustomFieldValidation = z.infer<typeof CustomFieldValidation>;

export const CustomFieldDefinition = z
  .object({
    id: z.uuid(),
    field_name: z.string().describe('Key of the value in a customer’s `custom_fields`'),
    field_label: z.string(),
    field_type: CustomFieldType,
    field_options: z.array(CustomFieldOption),
    is_required: z.boolean(),
    is_sensitive: z
      .boolean()
      .describe(
        'Values are stored sealed with the customer’s key (AES-256-GCM) and erased with it: clear in responses, ciphertext in events, masked in the audit trail, never searched, filtered or exported',
      ),
    validation: CustomFieldValidation,
    display_order: z.number().int(),
    is_active: z.boolean(),
    version: z.number().int().positive(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'CustomFieldDefinition' });
export type CustomFieldDefinition = z.infer<typeof CustomFieldDefinition>;

export const CreateCustomFieldBody = z
  .object({
    field_name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'Lower-case letters, digits and _, starting with a letter'),
    field_label: z.string().trim().min(1).max(200),
    field_type: CustomFieldType,
    field_options: z.array(CustomFieldOption).max(200).default([]),
    is_required: z.boolean().default(false),
    is_sensitive: z.boolean().default(false),
    validation: CustomFieldValidation.default({}),
    display_order: z.number().int().min(0).max(100_000).optional(),
    is_active: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'CreateCustomField' });
export type CreateCustomFieldBody = z.infer<typeof CreateCustomFieldBody>;

/** The name and type are fixed once values exist; everything else may change. */
export const UpdateCustomFieldBody = z
  .object({
    field_label: z.string().trim().min(1).max(200),
    field_options: z.array(CustomFieldOption).max(200),
    is_required: z.boolean(),
    validation: CustomFieldValidation,
    display_order: z.number().int().min(0).max(100_000),
    is_active: z.boolean(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .meta({ id: 'UpdateCustomField' });
export type UpdateCustomFieldBody = z.infer<typeof UpdateCustomFieldBody>;

export const ListCustomFieldsQuery = z
  .object({
    include_inactive: z.enum(['true', 'false']).default('false'),
  })
  .strict();
export type ListCustomFieldsQuery = z.infer<typeof ListCustomFieldsQuery>;

export const CustomFieldList = z
  .object({
    data: z.array(CustomFieldDefinition).describe('In display order'),
    next_cursor: z.null().describe('Always null: the list is bounded by max_custom_fields'),
  })
  .meta({ id: 'CustomFieldList' });

export const ReorderCustomFieldsBody = z
  .object({
    field_ids: z
      .array(z.uuid())
      .min(1)
      .max(1000)
      .describe('Every definition of the tenant, in the new display order'),
  })
  .strict()
  .meta({ id: 'ReorderCustomFields' });
export type ReorderCustomFieldsBody = z.infer<typeof ReorderCustomFieldsBody>;

export const CustomFieldIdParams = z.object({ field_id: z.uuid() });

/** A value as stored and sent: its JSON type follows the definition's type. */
export const CustomFieldValue = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.array(z.string()),
    z.object({ amount_minor: z.number().int(), currency: z.string() }),
    z.null(),
  ])
  .meta({ id: 'CustomFieldValue' });
export type CustomFieldValue = z.infer<typeof CustomFieldValue>;

export const CustomFieldValues = z
  .record(z.string().max(64), CustomFieldValue)
  .describe(
    'By field_name. text, textarea, email, phone (stored E.164), url, select, date (YYYY-MM-DD) and datetime (RFC 3339) are strings; number and decimal numbers; boolean; multiselect an array of option values; currency `{amount_minor, currency}`; null clears',
  )
  .meta({ id: 'CustomFieldValues' });
export type CustomFieldValues = z.infer<typeof CustomFieldValues>;
