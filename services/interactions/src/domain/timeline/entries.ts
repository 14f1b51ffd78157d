import type { TimelineKind, TypedEvent } from '@crm/contracts';

export interface NewTimelineEntry {
  customerId: string;
  kind: TimelineKind;
  type: string;
  occurredAt: Date;
  actor: {
    type: 'customer' | 'staff' | 'system' | 'bookingx';
    id: string | null;
    name: string | null;
  };
  summary: string;
  icon: string;
  source: { service: string; objectType: string; objectId: string };
  data: Record<string, unknown>;
  /** `staff` hides the entry from the customer; default `all`. */
  visibility?: 'all' | 'staff';
}

/** An entry about `event`: of its type, at its time unless the fact says when it happened. */
function entryOf(
  event: { type: string; time: string },
  entry: Omit<NewTimelineEntry, 'type' | 'occurredAt'> & { occurredAt?: Date },
): NewTimelineEntry {
  return { type: event.type, occurredAt: new Date(event.time), ...entry };
}

export function formatMoney(amountMinor: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amountMinor / 100);
}

function when(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

type BookingEvent = TypedEvent<
  | 'bookingx.booking.created.v1'
  | 'bookingx.booking.rescheduled.v1'
  | 'bookingx.booking.completed.v1'
  | 'bookingx.booking.cancelled.v1'
  | 'bookingx.booking.no_show.v1'
>;

const BOOKING_PRESENTATION: Record<
  BookingEvent['type'],
  { icon: string; verb: (e: BookingEvent) => string }
> = {
  'bookingx.booking.created.v1': {
    icon: 'calendar-plus',
    verb: (e) =>
      `Booked ${e.data.booking.service.name} with ${e.data.booking.staff.name} for ${when(e.data.booking.start_at)}`,
  },
  'bookingx.booking.rescheduled.v1': {
    icon: 'calendar-clock',
    verb: (e) => `Moved ${e.data.booking.service.name} to ${when(e.data.booking.start_at)}`,
  },
  'bookingx.booking.completed.v1': {
    icon: 'calendar-check',
    verb: (e) => `Attended ${e.data.booking.service.name} with ${e.data.booking.staff.name}`,
  },
  'bookingx.booking.cancelled.v1': {
    icon: 'calendar-x',
    verb: (e) =>
      `Cancelled ${e.data.booking.service.name} of ${when(e.data.booking.start_at)}` +
      (e.data.reason ? `: ${e.data.reason}` : ''),
  },
  'bookingx.booking.no_show.v1': {
    icon: 'calendar-alert',
    verb: (e) =>
      `Did not come to ${e.data.booking.service.name} of ${when(e.data.booking.start_at)}`,
  },
};

export function bookingEntry(customerId: string, event: BookingEvent): NewTimelineEntry {
  const b = event.data.booking;
  const p = BOOKING_PRESENTATION[event.type];
  return entryOf(event, {
    customerId,
    kind: 'booking',
    actor: {
      type: 'bookingx',
      id: b.customer.bookingx_id,
      name: `${b.customer.first_name} ${b.customer.last_name}`.trim(),
    },
    summary: p.verb(event),
    icon: p.icon,
    source: { service: 'bookingx', objectType: 'booking', objectId: b.bookingx_id },
    data: {
      status: b.status,
      revision: b.revision,
      service: b.service.name,
      staff: b.staff.name,
      start_at: b.start_at,
      end_at: b.end_at,
      price: b.price,
    },
  });
}

type PaymentEvent = TypedEvent<'bookingx.payment.captured.v1' | 'bookingx.payment.refunded.v1'>;

export function paymentEntry(customerId: string, event: PaymentEvent): NewTimelineEntry {
  const p = event.data.payment;
  const refunded = event.type === 'bookingx.payment.refunded.v1';
  const amount = formatMoney(p.amount.amount_minor, p.amount.currency);
  return entryOf(event, {
    customerId,
    kind: 'payment',
    occurredAt: new Date(p.occurred_at),
    actor: { type: 'bookingx', id: p.customer.bookingx_id, name: null },
    summary: refunded ? `Refunded ${amount}` : `Paid ${amount} by ${p.method.replace('_', ' ')}`,
    icon: refunded ? 'rotate-ccw' : 'credit-card',
    source: { service: 'bookingx', objectType: 'payment', objectId: p.bookingx_id },
    data: { amount: p.amount, method: p.method, booking_id: p.booking_id },
  });
}

type CustomerEvent = TypedEvent<'crm.customer.created.v1' | 'crm.customer.updated.v1'>;

export function customerEntry(event: CustomerEvent): NewTimelineEntry {
  const c = event.data.customer;
  const created = event.type === 'crm.customer.created.v1';
  const changed = 'changed_fields' in event.data ? event.data.changed_fields : [];
  const by: { created_by?: NewTimelineEntry['actor']; changed_by?: NewTimelineEntry['actor'] } =
    event.data;
  const actor = by.changed_by ?? by.created_by;
  return entryOf(event, {
    customerId: c.id,
    kind: 'customer',
    actor: actor ?? { type: 'system', id: null, name: null },
    summary: created
      ? `Profile created${c.source === 'bookingx' ? ' from BookingX' : ''}`
      : `Profile updated: ${changed.join(', ').replaceAll('_', ' ')}`,
    icon: created ? 'user-plus' : 'user-pen',
    source: { service: 'profiles', objectType: 'customer', objectId: c.id },
    data: created ? { source: c.source } : { changed_fields: changed },
    // Field names and internal changes are for staff; a customer sees their profile began.
    visibility: created ? 'all' : 'staff',
  });
}

type NoteEvent = TypedEvent<'crm.note.created.v1' | 'crm.note.updated.v1'>;

/** One entry per note, kept at its newest version; a private note is for staff only. */
export function noteEntry(customerId: string, event: NoteEvent): NewTimelineEntry {
  const n = event.data.note;
  const who = n.author.name ?? 'Staff';
  return entryOf(event, {
    customerId,
    kind: 'note',
    actor: n.author,
    summary: n.is_private
      ? `Private note by ${who}: ${n.excerpt}`
      : `Note from ${who}: ${n.excerpt}`,
    icon: n.is_pinned ? 'pin' : n.is_private ? 'lock' : 'sticky-note',
    source: { service: 'notes-tasks', objectType: 'note', objectId: n.id },
    data: { note_type: n.note_type, is_pinned: n.is_pinned, is_private: n.is_private },
    visibility: n.is_private ? 'staff' : 'all',
  });
}

type TaskEvent = TypedEvent<'crm.task.created.v1' | 'crm.task.completed.v1'>;

export function taskEntry(customerId: string, event: TaskEvent): NewTimelineEntry {
  const t = event.data.task;
  const completed = event.type === 'crm.task.completed.v1';
  const due = t.due_at ? ` (due ${t.due_at.slice(0, 10)})` : '';
  return entryOf(event, {
    customerId,
    kind: 'task',
    actor: t.actor,
    summary: completed ? `Task completed: ${t.title}` : `Task created: ${t.title}${due}`,
    icon: completed ? 'check-square' : 'square-plus',
    source: { service: 'notes-tasks', objectType: 'task', objectId: t.id },
    data: { priority: t.priority, status: t.status, due_at: t.due_at, assigned_to: t.assigned_to },
    visibility: 'staff',
  });
}

type MessageEvent = TypedEvent<
  | 'crm.message.sent.v1'
  | 'crm.message.received.v1'
  | 'crm.message.opened.v1'
  | 'crm.message.clicked.v1'
>;

const MESSAGE_PRESENTATION: Record<
  MessageEvent['type'],
  { icon: string; verb: string; staffOnly: boolean }
> = {
  'crm.message.sent.v1': { icon: 'send', verb: 'Sent', staffOnly: false },
  'crm.message.received.v1': { icon: 'inbox', verb: 'Received', staffOnly: false },
  'crm.message.opened.v1': { icon: 'mail-open', verb: 'Opened', staffOnly: true },
  'crm.message.clicked.v1': {
    icon: 'mouse-pointer-click',
    verb: 'Clicked a link in',
    staffOnly: true,
  },
};

export function messageEntry(customerId: string, event: MessageEvent): NewTimelineEntry {
  const m = event.data.message;
  const p = MESSAGE_PRESENTATION[event.type];
  const what = m.subject ? `${m.channel} “${m.subject}”` : m.channel;
  return entryOf(event, {
    customerId,
    kind: 'message',
    actor: m.actor,
    summary: `${p.verb} ${what}`,
    icon: p.icon,
    source: { service: 'comms', objectType: 'message', objectId: m.id },
    data: {
      channel: m.channel,
      direction: m.direction,
      conversation_id: m.conversation_id,
      ...(event.data.link_url ? { link_url: event.data.link_url } : {}),
    },
    visibility: p.staffOnly ? 'staff' : 'all',
  });
}

type SegmentEvent = TypedEvent<'crm.segment.member_added.v1' | 'crm.segment.member_removed.v1'>;

export function segmentEntry(customerId: string, event: SegmentEvent): NewTimelineEntry {
  const added = event.type === 'crm.segment.member_added.v1';
  return entryOf(event, {
    customerId,
    kind: 'segment',
    actor: { type: 'system', id: null, name: null },
    summary: `${added ? 'Entered' : 'Left'} segment ${event.data.segment.name}`,
    icon: added ? 'users-plus' : 'users-minus',
    source: { service: 'segments', objectType: 'segment', objectId: event.data.segment.id },
    data: { segment_name: event.data.segment.name },
    visibility: 'staff',
  });
}

export function workflowEntry(
  customerId: string,
  event: TypedEvent<'crm.workflow.action_executed.v1'>,
): NewTimelineEntry {
  const { workflow, action, run_id } = event.data;
  return entryOf(event, {
    customerId,
    kind: 'workflow',
    actor: { type: 'system', id: workflow.id, name: workflow.name },
    summary: `${workflow.name}: ${action.summary}`,
    icon: 'workflow',
    source: { service: 'automation', objectType: 'workflow_run', objectId: run_id },
    data: { workflow_version: workflow.version, step_id: action.step_id, action_type: action.type },
    visibility: 'staff',
  });
}

export function stageEntry(
  customerId: string,
  event: TypedEvent<'crm.customer.stage_changed.v1'>,
): NewTimelineEntry {
  const d = event.data;
  return entryOf(event, {
    customerId,
    kind: 'customer',
    actor: d.changed_by,
    summary: `Stage changed from ${d.from} to ${d.to}`,
    icon: 'milestone',
    source: { service: 'profiles', objectType: 'customer', objectId: d.customer_id },
    data: { from: d.from, to: d.to },
    visibility: 'staff',
  });
}

export function mergeEntry(event: TypedEvent<'crm.customer.merged.v1'>): NewTimelineEntry {
  const d = event.data;
  return entryOf(event, {
    customerId: d.survivor_id,
    kind: 'customer',
    actor: d.merged_by,
    summary: `Merged with ${d.merged_ids.length} duplicate profile${d.merged_ids.length > 1 ? 's' : ''}`,
    icon: 'merge',
    source: { service: 'profiles', objectType: 'customer', objectId: d.survivor_id },
    data: { merged_ids: d.merged_ids },
    visibility: 'staff',
  });
}

type PurchaseEvent = TypedEvent<'bookingx.purchase.completed.v1'>;

export function purchaseEntry(customerId: string, event: PurchaseEvent): NewTimelineEntry {
  const p = event.data.purchase;
  const items = p.items
    .map((i) => (i.quantity > 1 ? `${i.quantity}× ${i.name}` : i.name))
    .join(', ');
  return entryOf(event, {
    customerId,
    kind: 'purchase',
    occurredAt: new Date(p.occurred_at),
    actor: { type: 'bookingx', id: p.customer.bookingx_id, name: null },
    summary: `Bought ${items} for ${formatMoney(p.total.amount_minor, p.total.currency)}`,
    icon: 'shopping-bag',
    source: { service: 'bookingx', objectType: 'purchase', objectId: p.bookingx_id },
    data: { items: p.items, total: p.total },
  });
}

const INTERACTION_ICONS: Record<string, string> = {
  call: 'phone',
  walk_in: 'door-open',
  email: 'mail',
  sms: 'message-square',
  chat: 'messages-square',
  social: 'share-2',
  support_ticket: 'life-buoy',
};

export function loggedInteractionEntry(i: {
  id: string;
  customerId: string;
  interactionType: string;
  subject: string | null;
  outcome: string | null;
  direction: string | null;
  durationMinutes: number | null;
  interactionDate: Date;
  staffId: string | null;
  createdBy: string | null;
}): NewTimelineEntry {
  const label = i.interactionType.replace('_', ' ');
  const detail = [i.subject, i.outcome].filter(Boolean).join(' — ');
  return {
    customerId: i.customerId,
    kind: 'interaction',
    type: 'crm.interaction.recorded.v1',
    occurredAt: i.interactionDate,
    actor: { type: 'staff', id: i.staffId ?? i.createdBy, name: null },
    summary: `${label.charAt(0).toUpperCase()}${label.slice(1)}${detail ? `: ${detail}` : ''}`,
    icon: INTERACTION_ICONS[i.interactionType] ?? 'activity',
    source: { service: 'interactions', objectType: 'interaction', objectId: i.id },
    data: {
      interaction_type: i.interactionType,
      direction: i.direction,
      duration_minutes: i.durationMinutes,
    },
    visibility: 'staff',
  };
}

export function visitEntry(v: {
  id: string;
  customerId: string;
  url: string;
  title: string | null;
  occurredAt: Date;
}): NewTimelineEntry {
  return {
    customerId: v.customerId,
    kind: 'visit',
    type: 'crm.interaction.recorded.v1',
    occurredAt: v.occurredAt,
    actor: { type: 'customer', id: null, name: null },
    summary: `Visited ${v.title ?? new URL(v.url).pathname}`,
    icon: 'globe',
    source: { service: 'interactions', objectType: 'page_view', objectId: v.id },
    data: { url: v.url },
    visibility: 'staff',
  };
}
