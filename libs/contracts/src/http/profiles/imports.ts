import { z } from 'zod';
import { PageQuery, pageOf } from '../../pagination.js';
import { CustomerWritable } from './customers.js';

export const IMPORT_CONTENT_TYPE = 'text/csv';

/** The address travels as one CSV column a line, named as the CSV export names them. */
const ADDRESS_COLUMNS = [
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
] as const;

/**
 * Customer fields a CSV column can fill: the writable ones a single cell can carry, in
 * their order, the address as its columns, then the tag names and the external reference.
 */
export const IMPORT_FIELDS = [
  ...CustomerWritable.keyof()
    .exclude(['phones', 'preferences', 'profile_picture_url', 'collaborator_ids', 'custom_fields'])
    .options.flatMap((f) => (f === 'address' ? ADDRESS_COLUMNS : [f])),
  'tags',
  'external_ref',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const ON_DUPLICATE = ['skip', 'update', 'create'] as const;
export type OnDuplicate = (typeof ON_DUPLICATE)[number];

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;

/** The mapping travels as URL-encoded JSON, like `?filter=`: CSV header → target. */
const Mapping = z
  .string()
  .max(20_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Expected URL-encoded JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(
        z.string().min(1).max(200),
        z
          .string()
          .min(1)
          .max(100)
          .describe(`One of ${IMPORT_FIELDS.join(', ')}, or custom.<field_name>`),
      )
      .refine((m) => Object.keys(m).length > 0, { message: 'Map at least one column' }),
  );

export const CreateImportQuery = z
  .object({
    mapping: Mapping.describe(
      'URL-encoded JSON object from CSV header to customer field: a core field (`first_name`, `email`, ...), `tags` (names separated by `|`), `external_ref` (the BookingX customer id) or `custom.<field_name>`. Columns left out are ignored; `first_name` and every required custom field must be mapped.',
    ),
    on_duplicate: z
      .enum(ON_DUPLICATE)
      .default('skip')
      .describe(
        'A row matching a customer of the tenant or an earlier row of the file (by external ref, then email, then phone): `skip` it, `update` that customer with the non-empty cells, or `create` a new customer anyway',
      ),
    dry_run: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true')
      .describe('Validate every row and report the counts and errors without writing customers'),
    phone_region: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional()
      .describe('Region for phone numbers written without a country code (default: the service’s)'),
  })
  .strict();
export type CreateImportQuery = z.infer<typeof CreateImportQuery>;

export const ImportCsvBody = z
  .string()
  .describe(
    'UTF-8 CSV (RFC 4180), comma-separated, the first line naming the columns; a byte-order mark is ignored.',
  )
  .meta({ id: 'ImportCsv' });

export const CustomerImport = z
  .object({
    id: z.uuid(),
    status: z.enum(IMPORT_STATUSES),
    dry_run: z.boolean(),
    on_duplicate: z.enum(ON_DUPLICATE),
    mapping: z.record(z.string(), z.string()),
    phone_region: z.string(),
    created_by: z.string(),
    byte_size: z.number().int(),
    total_rows: z.number().int().describe('Data rows of the file, the header not counted'),
    processed_rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    failure: z
      .string()
      .nullable()
      .describe('Why the import stopped, when it failed as a whole (rows fail on their own)'),
    created_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    finished_at: z.iso.datetime().nullable(),
    duration_ms: z
      .number()
      .int()
      .nullable()
      .describe('From start to finish, or to now while running'),
    rows_per_second: z.number().nullable(),
  })
  .meta({ id: 'CustomerImport' });
export type CustomerImport = z.infer<typeof CustomerImport>;

export const CustomerImportPage = pageOf(CustomerImport).meta({ id: 'CustomerImportPage' });

export const ImportIdParams = z.object({ id: z.uuid() });

export const ListImportsQuery = PageQuery.strict();
export type ListImportsQuery = z.infer<typeof ListImportsQuery>;

export const ImportRowError = z
  .object({
    row: z
      .number()
      .int()
      .describe('Row as a spreadsheet numbers it: the header is row 1, the first data row 2'),
    column: z.string().nullable().describe('CSV header of the cell at fault, when there is one'),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ImportRowError' });
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportErrorPage = pageOf(ImportRowError).meta({ id: 'ImportErrorPage' });

export const ListImportErrorsQuery = PageQuery.strict();
export type ListImportErrorsQuery = z.infer<typeof ListImportErrorsQuery>;
