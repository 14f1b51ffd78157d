import { z } from 'zod';
import { CustomerWritable } from './customers.js';
import { SearchHit } from './search.js';

export const DuplicateSuggestion = z
  .object({
    customer: SearchHit,
    score: z.number().min(0).max(1).describe('1 is certainly the same person'),
    reasons: z.array(z.enum(['email', 'phone', 'name'])),
  })
  .meta({ id: 'DuplicateSuggestion' });
export type DuplicateSuggestion = z.infer<typeof DuplicateSuggestion>;

export const DuplicateList = z
  .object({
    data: z.array(DuplicateSuggestion).describe('Best first; at most 20'),
    next_cursor: z.null(),
  })
  .meta({ id: 'DuplicateList' });
export type DuplicateList = z.infer<typeof DuplicateList>;

/**
 * The fields a merge takes from one customer: every writable one but those with a rule of
 * their own (tags and collaborators are united, VIP and do-not-contact kept if any had them,
 * phones follow `phone`, custom fields are chosen as `custom_fields.<name>`).
 */
export const MERGEABLE_FIELDS = CustomerWritable.keyof().exclude([
  'phones',
  'vip_status',
  'do_not_contact',
  'collaborator_ids',
  'custom_fields',
]).options;

export const MergeCustomersBody = z
  .object({
    merge_ids: z
      .array(z.uuid())
      .min(1)
      .max(10)
      .describe('Customers merged into the one in the path, which survives with its id'),
    field_choices: z
      .record(
        z.union([
          z.enum(MERGEABLE_FIELDS),
          z.string().regex(/^custom_fields\.[a-z][a-z0-9_]{0,63}$/),
        ]),
        z.uuid(),
      )
      .default({})
      .describe(
        'For a field, the customer whose value the survivor keeps. Without a choice the survivor keeps its own value, or takes the first non-empty one of the merged customers in `merge_ids` order. Tags and collaborators are united; VIP and do-not-contact are kept if any customer had them.',
      ),
  })
  .strict()
  .meta({ id: 'MergeCustomers' });
export type MergeCustomersBody = z.infer<typeof MergeCustomersBody>;
