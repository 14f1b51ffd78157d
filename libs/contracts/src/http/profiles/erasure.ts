import { z } from 'zod';

export const EraseCustomerBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe(
        'Why the customer is erased (e.g. "GDPR Art. 17 request of 2026-11-24"); kept with the tombstone, so name the request, not the person',
      ),
  })
  .strict()
  .meta({ id: 'EraseCustomer' });
export type EraseCustomerBody = z.infer<typeof EraseCustomerBody>;

export const CustomerErasure = z
  .object({
    customer_id: z.uuid(),
    erased_at: z.iso.datetime(),
    erased_by: z.string().nullable().describe('Subject of the admin who erased the customer'),
    already_erased: z
      .boolean()
      .describe('true when an earlier request erased the customer; nothing was done again'),
  })
  .meta({ id: 'CustomerErasure' });
export type CustomerErasure = z.infer<typeof CustomerErasure>;
