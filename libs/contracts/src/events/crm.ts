import { z } from 'zod';
import { TenantSettings } from '../http/gateway/settings.js';
import { TeamMemberSnapshot } from '../http/gateway/team.js';
import { CustomFieldDefinition } from '../http/profiles/custom-fields.js';
import { Customer } from '../http/profiles/customers.js';
import { Money } from '../money.js';

const Actor = z
  .object({
    type: z.enum(['staff', 'customer', 'system', 'bookingx']),
    id: z.string().nullable(),
    name: z.string().nullable(),
  })
  .meta({ id: 'EventActor' });

// Who made the change, as the audit trail names them; absent on events published before it
// was carried.
export const CustomerCreatedPayload = z
  .object({ customer: Customer, created_by: Actor.optional() })
  .meta({ id: 'CustomerCreatedPayload' });
export const CustomerUpdatedPayload = z
  .object({
    customer: Customer,
    changed_fields: z.array(z.string()),
    changed_by: Actor.optional(),
  })
  .meta({ id: 'CustomerUpdatedPayload' });

export const INTERACTION_TYPES = [
  'booking',
  'payment',
  'purchase',
  'call',
  'email',
  'sms',
  'chat',
  'website_visit',
  'email_engagement',
  'social',
  'support_ticket',
  'walk_in',
] as const;
export const InteractionType = z.enum(INTERACTION_TYPES);

export const InteractionRecordedPayload = z
  .object({
    interaction: z.object({
      id: z.uuid(),
      customer_id: z.uuid(),
      interaction_type: InteractionType,
      interaction_source: z.string(),
      subject: z.string().nullable(),
      booking_id: z.string().nullable(),
      staff_id: z.string().nullable(),
      direction: z.enum(['inbound', 'outbound', 'internal']).nullable(),
      amount: Money.nullable(),
      interaction_date: z.iso.datetime(),
    }),
  })
  .meta({ id: 'InteractionRecordedPayload' });

export const CustomerStageChangedPayload = z
  .object({
    customer_id: z.uuid(),
    from: z.string(),
    to: z.string(),
    version: z.number().int().positive(),
    changed_by: Actor,
  })
  .meta({ id: 'CustomerStageChangedPayload' });

export const CustomerMergedPayload = z
  .object({
    survivor_id: z.uuid(),
    merged_ids: z.array(z.uuid()).min(1),
    merged_by: Actor,
  })
  .meta({ id: 'CustomerMergedPayload' });

export const CustomerErasedPayload = z
  .object({ customer_id: z.uuid(), erased_by: Actor })
  .meta({ id: 'CustomerErasedPayload' });

export const CustomerAssignmentChangedPayload = z
  .object({
    customer_id: z.uuid(),
    owner_id: z.string().nullable(),
    team_id: z.string().nullable(),
    collaborator_ids: z.array(z.string()),
    version: z.number().int().positive(),
  })
  .meta({ id: 'CustomerAssignmentChangedPayload' });

export const CONSENT_CHANNELS = ['email', 'sms', 'phone'] as const;
export const CONSENT_PURPOSES = ['transactional', 'marketing'] as const;

export const ConsentChangedPayload = z
  .object({
    customer_id: z.uuid(),
    channel: z.enum(CONSENT_CHANNELS),
    purpose: z.enum(CONSENT_PURPOSES),
    granted: z.boolean(),
    source: z.string(),
    do_not_contact: z.boolean(),
    recorded_at: z.iso.datetime(),
  })
  .meta({ id: 'ConsentChangedPayload' });

export const NoteSnapshot = z
  .object({
    id: z.uuid(),
    customer_id: z.uuid(),
    is_private: z.boolean().describe('Private notes are for staff only'),
    note_type: z.string(),
    excerpt: z.string().max(280).describe('Plain-text start of the note'),
    is_pinned: z.boolean(),
    version: z.number().int().positive(),
    author: Actor,
  })
  .meta({ id: 'NoteSnapshot' });

export const NoteEventPayload = z.object({ note: NoteSnapshot }).meta({ id: 'NoteEventPayload' });

export const TaskSnapshot = z
  .object({
    id: z.uuid(),
    customer_id: z.uuid(),
    title: z.string(),
    priority: z.enum(['low', 'medium', 'high', 'urgent']),
    status: z.enum(['pending', 'in_progress', 'completed', 'cancelled']),
    due_at: z.iso.datetime().nullable(),
    assigned_to: z.string().nullable(),
    version: z.number().int().positive(),
    actor: Actor,
  })
  .meta({ id: 'TaskSnapshot' });

export const TaskEventPayload = z.object({ task: TaskSnapshot }).meta({ id: 'TaskEventPayload' });

export const MessageSnapshot = z
  .object({
    id: z.uuid(),
    customer_id: z.uuid(),
    conversation_id: z.uuid(),
    channel: z.enum(['email', 'sms', 'chat', 'call']),
    direction: z.enum(['inbound', 'outbound']),
    subject: z.string().nullable(),
    excerpt: z.string().max(280),
    actor: Actor,
  })
  .meta({ id: 'MessageSnapshot' });

export const MessageEventPayload = z
  .object({
    message: MessageSnapshot,
    link_url: z.url().optional().describe('The link clicked, for clicked events'),
  })
  .meta({ id: 'MessageEventPayload' });

export const SegmentMembershipPayload = z
  .object({
    segment: z.object({ id: z.uuid(), name: z.string() }),
    customer_id: z.uuid(),
  })
  .meta({ id: 'SegmentMembershipPayload' });

export const WorkflowActionExecutedPayload = z
  .object({
    workflow: z.object({ id: z.uuid(), name: z.string(), version: z.number().int().positive() }),
    run_id: z.uuid(),
    customer_id: z.uuid(),
    action: z.object({ step_id: z.string(), type: z.string(), summary: z.string() }),
  })
  .meta({ id: 'WorkflowActionExecutedPayload' });

export const CustomFieldDefinitionPayload = z
  .object({ field: CustomFieldDefinition })
  .meta({ id: 'CustomFieldDefinitionPayload' });

export const TeamMemberChangedPayload = z
  .object({
    member: TeamMemberSnapshot,
    change: z
      .enum(['added', 'registered', 'updated'])
      .describe(
        '`added` by an admin, `registered` at their first sign-in (or with new claims), `updated` otherwise',
      ),
    changed_by: Actor,
  })
  .meta({ id: 'TeamMemberChangedPayload' });

export const TenantSettingsChangedPayload = z
  .object({ settings: TenantSettings, changed_by: Actor })
  .meta({ id: 'TenantSettingsChangedPayload' });

export const CRM_EVENTS = {
  'crm.customer.created.v1': CustomerCreatedPayload,
  'crm.customer.updated.v1': CustomerUpdatedPayload,
  'crm.customer.stage_changed.v1': CustomerStageChangedPayload,
  'crm.customer.merged.v1': CustomerMergedPayload,
  'crm.customer.erased.v1': CustomerErasedPayload,
  'crm.customer.assignment.changed.v1': CustomerAssignmentChangedPayload,
  'crm.consent.changed.v1': ConsentChangedPayload,
  'crm.custom_field.created.v1': CustomFieldDefinitionPayload,
  'crm.custom_field.updated.v1': CustomFieldDefinitionPayload,
  'crm.custom_field.deleted.v1': CustomFieldDefinitionPayload,
  'crm.interaction.recorded.v1': InteractionRecordedPayload,
  'crm.note.created.v1': NoteEventPayload,
  'crm.note.updated.v1': NoteEventPayload,
  'crm.note.deleted.v1': NoteEventPayload,
  'crm.task.created.v1': TaskEventPayload,
  'crm.task.completed.v1': TaskEventPayload,
  'crm.message.sent.v1': MessageEventPayload,
  'crm.message.received.v1': MessageEventPayload,
  'crm.message.opened.v1': MessageEventPayload,
  'crm.message.clicked.v1': MessageEventPayload,
  'crm.segment.member_added.v1': SegmentMembershipPayload,
  'crm.segment.member_removed.v1': SegmentMembershipPayload,
  'crm.workflow.action_executed.v1': WorkflowActionExecutedPayload,
  'crm.team.member.changed.v1': TeamMemberChangedPayload,
  'crm.tenant.settings_changed.v1': TenantSettingsChangedPayload,
} as const;
export type CrmEventType = keyof typeof CRM_EVENTS;
