import { z } from 'zod';
import { PageQuery, pageOf } from '../../pagination.js';

export const AuditEntry = z
  .object({
    id: z.uuid(),
    seq: z.number().int().positive().describe('Position in the tenant’s hash chain'),
    customer_id: z.uuid(),
    occurred_at: z.iso.datetime(),
    actor: z.object({
      type: z.enum(['staff', 'customer', 'system', 'bookingx']),
      id: z.string().nullable(),
      name: z.string().nullable(),
    }),
    via: z
      .string()
      .describe(
        'The route (`PATCH /crm/customers/{id}`) or event (`bookingx.customer.updated.v1 <id>`) that made the change',
      ),
    field: z.string().describe('API field name; `custom_fields.<name>` for a custom field'),
    old_value: z.unknown().describe('null when the field was empty or the value is masked'),
    new_value: z.unknown(),
    masked: z.boolean().describe('The field is sensitive: its values are not kept in the trail'),
    hash: z.string().describe('SHA-256 over the previous entry’s hash and this entry'),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ListAuditQuery = PageQuery.extend({
  field: z.string().max(100).optional().describe('Only changes of this field'),
}).strict();
export type ListAuditQuery = z.infer<typeof ListAuditQuery>;

export const AuditPage = pageOf(AuditEntry).meta({ id: 'AuditPage' });
