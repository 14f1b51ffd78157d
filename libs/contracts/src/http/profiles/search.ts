import { z } from 'zod';
import { MAX_LIMIT, pageOf } from '../../pagination.js';
import { CUSTOMER_STATUSES } from './customers.js';

export const SearchCustomersQuery = z
  .object({
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe(
        'Words of a name, company, tag or custom text field (prefixes and small typos match), or a whole email or phone number (matched exactly)',
      ),
    status: z.enum(CUSTOMER_STATUSES).optional(),
    stage: z.string().max(50).optional(),
    vip: z.enum(['true', 'false']).optional(),
    tags: z
      .string()
      .max(500)
      .optional()
      .describe('Comma-separated tag names; a hit carries all of them'),
    sort: z
      .enum(['relevance', 'last_name', '-last_name', 'updated_at', '-updated_at'])
      .default('relevance'),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(20),
    cursor: z.string().max(512).optional(),
  })
  .strict();
export type SearchCustomersQuery = z.infer<typeof SearchCustomersQuery>;

export const SearchHit = z
  .object({
    id: z.uuid(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company_name: z.string().nullable(),
    customer_status: z.string(),
    customer_stage: z.string(),
    vip_status: z.boolean(),
    tags: z.array(z.string()),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchPage = pageOf(SearchHit)
  .extend({ engine: z.enum(['postgres', 'meilisearch']).describe('Which index answered') })
  .meta({ id: 'SearchPage' });
export type SearchPage = z.infer<typeof SearchPage>;
