import { randomUUID } from 'node:crypto';
import { makeEvent, type CloudEvent, type EventPayload } from '@crm/contracts';

const staff = (id: string) => ({ type: 'staff' as const, id, name: `Staff ${id}` });

export function assignmentEvent(
  tenant: string,
  customerId: string,
  ownerId: string | null,
  version = 1,
  collaboratorIds: string[] = [],
): CloudEvent {
  return makeEvent({
    type: 'crm.customer.assignment.changed.v1',
    source: 'crm/profiles',
    tenantId: tenant,
    subject: customerId,
    sequence: version,
    data: {
      customer_id: customerId,
      owner_id: ownerId,
      team_id: null,
      collaborator_ids: collaboratorIds,
      version,
    },
  });
}

export function noteEvent(
  tenant: string,
  customerId: string,
  overrides: Partial<EventPayload<'crm.note.created.v1'>['note']> & { id?: string } = {},
  type:
    'crm.note.created.v1' | 'crm.note.updated.v1' | 'crm.note.deleted.v1' = 'crm.note.created.v1',
  time = new Date(),
): CloudEvent {
  return makeEvent({
    type,
    source: 'crm/notes-tasks',
    tenantId: tenant,
    subject: customerId,
    time,
    data: {
      note: {
        id: randomUUID(),
        customer_id: customerId,
        is_private: false,
        note_type: 'general',
        excerpt: 'Prefers the window seat',
        is_pinned: false,
        version: 1,
        author: staff('staff-1'),
        ...overrides,
      },
    },
  });
}

export function taskEvent(tenant: string, customerId: string, completed = false): CloudEvent {
  return makeEvent({
    type: completed ? 'crm.task.completed.v1' : 'crm.task.created.v1',
    source: 'crm/notes-tasks',
    tenantId: tenant,
    subject: customerId,
    data: {
      task: {
        id: randomUUID(),
        customer_id: customerId,
        title: 'Call back about the voucher',
        priority: 'high',
        status: completed ? 'completed' : 'pending',
        due_at: '2026-12-01T09:00:00.000Z',
        assigned_to: 'staff-1',
        version: completed ? 2 : 1,
        actor: staff('staff-1'),
      },
    },
  });
}

export function messageEvent(
  tenant: string,
  customerId: string,
  type:
    | 'crm.message.sent.v1'
    | 'crm.message.received.v1'
    | 'crm.message.opened.v1'
    | 'crm.message.clicked.v1',
  channel: 'email' | 'sms' = 'email',
): CloudEvent {
  return makeEvent({
    type,
    source: 'crm/comms',
    tenantId: tenant,
    subject: customerId,
    data: {
      message: {
        id: randomUUID(),
        customer_id: customerId,
        conversation_id: randomUUID(),
        channel,
        direction: type === 'crm.message.received.v1' ? 'inbound' : 'outbound',
        subject: 'Your next visit',
        excerpt: 'We look forward to seeing you',
        actor: staff('staff-1'),
      },
      ...(type === 'crm.message.clicked.v1' ? { link_url: 'https://salon.example.com/book' } : {}),
    },
  });
}

export function segmentEvent(tenant: string, customerId: string, added = true): CloudEvent {
  return makeEvent({
    type: added ? 'crm.segment.member_added.v1' : 'crm.segment.member_removed.v1',
    source: 'crm/segments',
    tenantId: tenant,
    subject: customerId,
    data: { segment: { id: randomUUID(), name: 'Lapsed VIPs' }, customer_id: customerId },
  });
}

export function workflowEvent(tenant: string, customerId: string): CloudEvent {
  return makeEvent({
    type: 'crm.workflow.action_executed.v1',
    source: 'crm/automation',
    tenantId: tenant,
    subject: customerId,
    data: {
      workflow: { id: randomUUID(), name: 'Win-back', version: 3 },
      run_id: randomUUID(),
      customer_id: customerId,
      action: { step_id: 'send-offer', type: 'send_email', summary: 'Sent the win-back offer' },
    },
  });
}

export function stageEvent(tenant: string, customerId: string): CloudEvent {
  return makeEvent({
    type: 'crm.customer.stage_changed.v1',
    source: 'crm/profiles',
    tenantId: tenant,
    subject: customerId,
    data: {
      customer_id: customerId,
      from: 'new',
      to: 'regular',
      version: 2,
      changed_by: staff('staff-1'),
    },
  });
}

export function mergeEvent(tenant: string, survivorId: string, mergedIds: string[]): CloudEvent {
  return makeEvent({
    type: 'crm.customer.merged.v1',
    source: 'crm/profiles',
    tenantId: tenant,
    subject: survivorId,
    data: { survivor_id: survivorId, merged_ids: mergedIds, merged_by: staff('admin-1') },
  });
}

export function erasedEvent(tenant: string, customerId: string): CloudEvent {
  return makeEvent({
    type: 'crm.customer.erased.v1',
    source: 'crm/profiles',
    tenantId: tenant,
    subject: customerId,
    data: { customer_id: customerId, erased_by: staff('admin-1') },
  });
}
