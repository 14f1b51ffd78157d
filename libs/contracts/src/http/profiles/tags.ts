import { z } from 'zod';
import { Filter } from '../../filter/ast.js';
import { PageQuery, pageOf } from '../../pagination.js';

const tagName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^,\n\r\t]+$/, 'No commas, tabs or line breaks')
  .describe('Unique within the tenant, case-insensitively');
const colour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/)
  .describe('Hex colour, e.g. #1f77b4');

export const Tag = z
  .object({
    id: z.uuid(),
    name: z.string(),
    colour: z.string(),
    description: z.string().nullable(),
    customer_count: z.number().int().min(0),
    version: z.number().int().positive(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Tag' });
export type Tag = z.infer<typeof Tag>;

export const CreateTagBody = z
  .object({
    name: tagName,
    colour: colour.default('#808080'),
    description: z.string().max(500).nullable().optional(),
  })
  .strict()
  .meta({ id: 'CreateTag' });
export type CreateTagBody = z.infer<typeof CreateTagBody>;

export const UpdateTagBody = z
  .object({ name: tagName, colour, description: z.string().max(500).nullable() })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .meta({ id: 'UpdateTag' });
export type UpdateTagBody = z.infer<typeof UpdateTagBody>;

export const ListTagsQuery = PageQuery.extend({
  q: z.string().max(50).optional().describe('Names starting with this, case-insensitive'),
}).strict();
export type ListTagsQuery = z.infer<typeof ListTagsQuery>;

export const TagPage = pageOf(Tag).meta({ id: 'TagPage' });
export const TagIdParams = z.object({ tag_id: z.uuid() });

const tagNames = z.array(tagName).max(50);

export const CustomerTagsBody = z
  .object({
    add: tagNames.default([]).describe('Catalog tag names to put on the customer'),
    remove: tagNames.default([]).describe('Tag names to take off'),
  })
  .strict()
  .refine((v) => v.add.length + v.remove.length > 0, { message: 'Name a tag to add or remove' })
  .meta({ id: 'CustomerTags' });
export type CustomerTagsBody = z.infer<typeof CustomerTagsBody>;

/**
 * A bulk action by ids names at most this many customers: like a filter's matches, they
 * change in one transaction at about 9 ms each, inside the gateway's upstream timeout.
 */
export const MAX_BULK_IDS = 250;
/**
 * A bulk action on a filter changes at most this many customers, all in one transaction;
 * a filter matching more of the customers the caller may change is refused, nothing done.
 * Each changed customer costs about 9 ms (audit entries and events), so 250 finish in a
 * few seconds, inside the gateway's default upstream timeout of 5 s.
 */
export const MAX_BULK_FILTER_MATCHES = 250;

/** Which customers a bulk action is for: a list of ids or a filter, exactly one. */
const bulkTarget = {
  customer_ids: z.array(z.uuid()).min(1).max(MAX_BULK_IDS).optional(),
  filter: Filter.optional().describe(
    `Instead of customer_ids: every customer the caller may change that matches (at most ${MAX_BULK_FILTER_MATCHES}; more is refused with 422 and nothing changes)`,
  ),
};

function oneTarget(v: { customer_ids?: unknown; filter?: unknown }, ctx: z.RefinementCtx) {
  if ((v.customer_ids === undefined) === (v.filter === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['customer_ids'],
      message: 'Send either customer_ids or filter, not both and not neither',
    });
  }
}

export const BulkTagsBody = z
  .object({
    ...bulkTarget,
    add: tagNames.default([]),
    remove: tagNames.default([]),
  })
  .strict()
  .superRefine(oneTarget)
  .refine((v) => v.add.length + v.remove.length > 0, { message: 'Name a tag to add or remove' })
  .meta({ id: 'BulkTags' });
export type BulkTagsBody = z.infer<typeof BulkTagsBody>;

export const BulkResult = z
  .object({
    updated: z.array(z.uuid()).describe('Customers that changed'),
    unchanged: z.array(z.uuid()).describe('Customers that already were as asked'),
    not_found: z
      .array(z.uuid())
      .describe('Ids that name no customer the caller may change; nothing was done to them'),
    matched: z
      .number()
      .int()
      .optional()
      .describe('With a filter: how many customers the caller may change matched it'),
  })
  .meta({ id: 'BulkResult' });
export type BulkResult = z.infer<typeof BulkResult>;

export const LifecycleStage = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,49}$/)
      .describe('Stored in customer_stage'),
    label: z.string().trim().min(1).max(100),
  })
  .meta({ id: 'LifecycleStage' });
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const LifecycleStages = z
  .object({ data: z.array(LifecycleStage).describe('In pipeline order') })
  .meta({ id: 'LifecycleStages' });
export type LifecycleStages = z.infer<typeof LifecycleStages>;

export const PutLifecycleStagesBody = z
  .object({ stages: z.array(LifecycleStage.strict()).min(1).max(30) })
  .strict()
  .meta({ id: 'PutLifecycleStages' });
export type PutLifecycleStagesBody = z.infer<typeof PutLifecycleStagesBody>;

/** Used until a tenant sets its own list; it holds the default stage of a new customer. */
export const DEFAULT_LIFECYCLE_STAGES: LifecycleStage[] = [
  { key: 'new', label: 'New' },
  { key: 'lead', label: 'Lead' },
  { key: 'prospect', label: 'Prospect' },
  { key: 'active', label: 'Active' },
  { key: 'loyal', label: 'Loyal' },
  { key: 'at_risk', label: 'At risk' },
  { key: 'lost', label: 'Lost' },
];

export const BulkStageBody = z
  .object({
    ...bulkTarget,
    customer_stage: z.string().min(1).max(50),
  })
  .strict()
  .superRefine(oneTarget)
  .meta({ id: 'BulkStage' });
export type BulkStageBody = z.infer<typeof BulkStageBody>;

const staffIds = z.array(z.string().min(1).max(100)).max(20);

export const BulkAssignBody = z
  .object({
    ...bulkTarget,
    owner_id: z.string().min(1).max(100).nullable().optional(),
    team_id: z.string().min(1).max(100).nullable().optional(),
    add_collaborators: staffIds.optional().describe('Staff ids to add as collaborators'),
    remove_collaborators: staffIds.optional().describe('Staff ids to take off as collaborators'),
  })
  .strict()
  .superRefine(oneTarget)
  .refine(
    (v) =>
      v.owner_id !== undefined ||
      v.team_id !== undefined ||
      (v.add_collaborators?.length ?? 0) + (v.remove_collaborators?.length ?? 0) > 0,
    { message: 'Send owner_id, team_id, add_collaborators or remove_collaborators' },
  )
  .meta({ id: 'BulkAssign' });
export type BulkAssignBody = z.infer<typeof BulkAssignBody>;
