import { z } from 'zod';
import { Money } from '../../money.js';
import { PageQuery, pageOf } from '../../pagination.js';
import { LifecycleStage } from './tags.js';

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;

export const Opportunity = z
  .object({
    id: z.uuid(),
    customer_id: z.uuid(),
    title: z.string(),
    stage: z.string().describe('A key of the tenant’s opportunity stages'),
    status: z.enum(OPPORTUNITY_STATUSES),
    value: Money,
    expected_close_date: z.iso.date().nullable(),
    owner_id: z.string().nullable(),
    lost_reason: z.string().nullable(),
    closed_at: z.iso.datetime().nullable(),
    version: z.number().int().positive(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Opportunity' });
export type Opportunity = z.infer<typeof Opportunity>;

export const CreateOpportunityBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    stage: z.string().min(1).max(50).optional().describe('Defaults to the first stage'),
    value: Money,
    expected_close_date: z.iso.date().nullable().optional(),
    owner_id: z.string().min(1).max(100).nullable().optional().describe('Defaults to the caller'),
  })
  .strict()
  .meta({ id: 'CreateOpportunity' });
export type CreateOpportunityBody = z.infer<typeof CreateOpportunityBody>;

export const UpdateOpportunityBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    stage: z.string().min(1).max(50),
    value: Money,
    expected_close_date: z.iso.date().nullable(),
    owner_id: z.string().min(1).max(100).nullable(),
    status: z.enum(OPPORTUNITY_STATUSES).describe('won or lost closes it; open reopens it'),
    lost_reason: z.string().trim().min(1).max(500).nullable(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .refine((v) => v.status !== 'lost' || (v.lost_reason !== undefined && v.lost_reason !== null), {
    message: 'Say why it was lost',
    path: ['lost_reason'],
  })
  .meta({ id: 'UpdateOpportunity' });
export type UpdateOpportunityBody = z.infer<typeof UpdateOpportunityBody>;

export const ListOpportunitiesQuery = PageQuery.extend({
  stage: z.string().max(50).optional(),
  status: z.enum(OPPORTUNITY_STATUSES).optional(),
  owner_id: z.string().max(100).optional(),
}).strict();
export type ListOpportunitiesQuery = z.infer<typeof ListOpportunitiesQuery>;

export const OpportunityPage = pageOf(Opportunity).meta({ id: 'OpportunityPage' });
export const OpportunityIdParams = z.object({ opportunity_id: z.uuid() });

export const OpportunityStages = z
  .object({
    data: z.array(LifecycleStage).describe('The open stages, in pipeline order'),
    totals: z
      .array(
        z.object({
          stage: z.string(),
          open_count: z.number().int(),
          open_value: z.array(Money).describe('Per currency'),
        }),
      )
      .describe('Open opportunities the caller may see, per stage'),
  })
  .meta({ id: 'OpportunityStages' });
export type OpportunityStages = z.infer<typeof OpportunityStages>;

export const DEFAULT_OPPORTUNITY_STAGES = [
  { key: 'qualification', label: 'Qualification' },
  { key: 'proposal', label: 'Proposal' },
  { key: 'negotiation', label: 'Negotiation' },
];

export const PutOpportunityStagesBody = z
  .object({ stages: z.array(LifecycleStage.strict()).min(1).max(20) })
  .strict()
  .meta({ id: 'PutOpportunityStages' });
export type PutOpportunityStagesBody = z.infer<typeof PutOpportunityStagesBody>;
