import { randomInt, randomUUID } from 'node:crypto';
import {
  customerOfPayload,
  EVENT_CATALOG,
  makeEvent,
  newId,
  type BookingStatus,
  type EventPayload,
  type EventType,
  type TypedEvent,
} from '@crm/contracts';
import { buildCustomerRecord } from './customers.js';

/** Every field optional, all the way down; arrays are replaced, not merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export interface EventOverrides<T extends EventType> {
  id?: string;
  tenantId?: string;
  source?: string;
  subject?: string;
  sequence?: number | bigint;
  time?: Date;
  traceparent?: string;
  /** Merged into the type's default payload. */
  data?: DeepPartial<EventPayload<T>>;
}

interface Context {
  tenantId: string;
  time: Date;
}

/** A BookingX (WordPress) id no other test uses. */
export function nextBxId(): string {
  return String(randomInt(1, 2_000_000_000));
}

const staff = (id = 'staff-1') => ({ type: 'staff' as const, id, name: `Staff ${id}` });
const person = () => ({ bookingx_id: nextBxId(), first_name: 'Linus', last_name: 'Pauling' });

function booking(status: BookingStatus): EventPayload<'bookingx.booking.created.v1'> {
  const start = '2026-05-12T10:00:00.000Z';
  return {
    booking: {
      bookingx_id: nextBxId(),
      customer: person(),
      service: { id: '11', name: 'Haircut', duration_minutes: 45 },
      staff: { id: '21', name: 'Anna' },
      start_at: start,
      end_at: new Date(Date.parse(start) + 45 * 60_000).toISOString(),
      price: { amount_minor: 4500, currency: 'EUR' },
      status,
      revision: 1,
    },
  };
}

function bxCustomer(): EventPayload<'bookingx.customer.created.v1'> {
  const id = nextBxId();
  return {
    customer: {
      bookingx_id: id,
      first_name: 'Grace',
      last_name: 'Hopper',
      email: `grace.${id}@example.com`,
      phone: '+44 20 7946 0018',
    },
  };
}

function payment(ctx: Context): EventPayload<'bookingx.payment.captured.v1'> {
  return {
    payment: {
      bookingx_id: nextBxId(),
      booking_id: nextBxId(),
      customer: person(),
      amount: { amount_minor: 4500, currency: 'EUR' },
      method: 'card',
      occurred_at: ctx.time.toISOString(),
    },
  };
}

function note(): EventPayload<'crm.note.created.v1'> {
  return {
    note: {
      id: randomUUID(),
      customer_id: newId(),
      is_private: false,
      note_type: 'general',
      excerpt: 'Prefers the window seat',
      is_pinned: false,
      version: 1,
      author: staff(),
    },
  };
}

function task(completed: boolean): EventPayload<'crm.task.created.v1'> {
  return {
    task: {
      id: randomUUID(),
      customer_id: newId(),
      title: 'Call back about the voucher',
      priority: 'high',
      status: completed ? 'completed' : 'pending',
      due_at: '2026-12-01T09:00:00.000Z',
      assigned_to: 'staff-1',
      version: completed ? 2 : 1,
      actor: staff(),
    },
  };
}

function message(inbound: boolean): EventPayload<'crm.message.sent.v1'> {
  return {
    message: {
      id: randomUUID(),
      customer_id: newId(),
      conversation_id: randomUUID(),
      channel: 'email',
      direction: inbound ? 'inbound' : 'outbound',
      subject: 'Your next visit',
      excerpt: 'We look forward to seeing you',
      actor: staff(),
    },
  };
}

function field(ctx: Context): EventPayload<'crm.custom_field.created.v1'> {
  const now = ctx.time.toISOString();
  return {
    field: {
      id: newId(),
      field_name: `field_${randomUUID().slice(0, 8)}`,
      field_label: 'Field',
      field_type: 'text',
      field_options: [],
      is_required: false,
      is_sensitive: false,
      validation: {},
      display_order: 0,
      is_active: true,
      version: 1,
      created_at: now,
      updated_at: now,
    },
  };
}

const segment = (): EventPayload<'crm.segment.member_added.v1'> => ({
  segment: { id: randomUUID(), name: 'Lapsed VIPs' },
  customer_id: newId(),
});

/** Who publishes each kind of event, as the envelope's source. */
function sourceOf(type: EventType): string {
  if (type.startsWith('bookingx.')) return 'bookingx/test';
  if (/^crm\.(note|task)\./.test(type)) return 'crm/notes-tasks';
  if (type.startsWith('crm.message.')) return 'crm/comms';
  if (type.startsWith('crm.segment.')) return 'crm/segments';
  if (type.startsWith('crm.workflow.')) return 'crm/automation';
  if (type.startsWith('crm.interaction.')) return 'crm/interactions';
  if (type.startsWith('crm.team.')) return 'crm/gateway';
  return 'crm/profiles';
}

/** A valid payload of each type in the catalog, for tests to override what they care about. */
const DEFAULTS: { [T in EventType]: (ctx: Context) => EventPayload<T> } = {
  'bookingx.customer.created.v1': bxCustomer,
  'bookingx.customer.updated.v1': bxCustomer,
  'bookingx.booking.created.v1': () => booking('confirmed'),
  'bookingx.booking.rescheduled.v1': () => booking('confirmed'),
  'bookingx.booking.completed.v1': () => booking('completed'),
  'bookingx.booking.cancelled.v1': () => booking('cancelled'),
  'bookingx.booking.no_show.v1': () => booking('no_show'),
  'bookingx.payment.captured.v1': payment,
  'bookingx.payment.refunded.v1': payment,
  'bookingx.purchase.completed.v1': (ctx) => ({
    purchase: {
      bookingx_id: nextBxId(),
      customer: person(),
      items: [
        {
          sku: 'SHAMPOO-1',
          name: 'Shampoo',
          quantity: 1,
          unit_price: { amount_minor: 1500, currency: 'EUR' },
        },
      ],
      total: { amount_minor: 1500, currency: 'EUR' },
      occurred_at: ctx.time.toISOString(),
    },
  }),
  'crm.customer.created.v1': (ctx) => ({
    customer: buildCustomerRecord({ tenant_id: ctx.tenantId }),
  }),
  'crm.customer.updated.v1': (ctx) => ({
    customer: buildCustomerRecord({ tenant_id: ctx.tenantId, version: 2 }),
    changed_fields: ['first_name'],
  }),
  'crm.customer.stage_changed.v1': () => ({
    customer_id: newId(),
    from: 'new',
    to: 'regular',
    version: 2,
    changed_by: staff(),
  }),
  'crm.customer.merged.v1': () => ({
    survivor_id: newId(),
    merged_ids: [newId()],
    merged_by: staff('admin-1'),
  }),
  'crm.customer.erased.v1': () => ({ customer_id: newId(), erased_by: staff('admin-1') }),
  'crm.customer.assignment.changed.v1': () => ({
    customer_id: newId(),
    owner_id: null,
    team_id: null,
    collaborator_ids: [],
    version: 1,
  }),
  'crm.consent.changed.v1': (ctx) => ({
    customer_id: newId(),
    channel: 'email',
    purpose: 'marketing',
    granted: true,
    source: 'test',
    do_not_contact: false,
    recorded_at: ctx.time.toISOString(),
  }),
  'crm.custom_field.created.v1': field,
  'crm.custom_field.updated.v1': field,
  'crm.custom_field.deleted.v1': field,
  'crm.interaction.recorded.v1': (ctx) => ({
    interaction: {
      id: randomUUID(),
      customer_id: newId(),
      interaction_type: 'call',
      interaction_source: 'crm',
      subject: 'Called about the voucher',
      booking_id: null,
      staff_id: 'staff-1',
      direction: 'outbound',
      amount: null,
      interaction_date: ctx.time.toISOString(),
    },
  }),
  'crm.note.created.v1': note,
  'crm.note.updated.v1': note,
  'crm.note.deleted.v1': note,
  'crm.task.created.v1': () => task(false),
  'crm.task.completed.v1': () => task(true),
  'crm.message.sent.v1': () => message(false),
  'crm.message.received.v1': () => message(true),
  'crm.message.opened.v1': () => message(false),
  'crm.message.clicked.v1': () => ({
    ...message(false),
    link_url: 'https://salon.example.com/book',
  }),
  'crm.segment.member_added.v1': segment,
  'crm.segment.member_removed.v1': segment,
  'crm.workflow.action_executed.v1': () => ({
    workflow: { id: randomUUID(), name: 'Win-back', version: 3 },
    run_id: randomUUID(),
    customer_id: newId(),
    action: { step_id: 'send-offer', type: 'send_email', summary: 'Sent the win-back offer' },
  }),
  'crm.team.member.changed.v1': (ctx) => ({
    member: {
      id: `staff-${randomUUID().slice(0, 8)}`,
      name: 'Grace Hopper',
      email: null,
      role: 'staff',
      teams: [],
      active: true,
      version: 1,
      created_at: ctx.time.toISOString(),
      updated_at: ctx.time.toISOString(),
    },
    change: 'registered',
    changed_by: staff(),
  }),
  'crm.tenant.settings_changed.v1': (ctx) => ({
    settings: {
      locale: 'de-DE',
      timezone: 'Europe/Berlin',
      currency: 'EUR',
      version: 1,
      updated_at: ctx.time.toISOString(),
    },
    changed_by: staff(),
  }),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isRecord(base) || !isRecord(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(base[key], value);
  return out;
}

/** The version of the customer a `crm.customer.*` event carries, which is its sequence. */
function versionOf(data: unknown): number | undefined {
  if (!isRecord(data)) return undefined;
  if (typeof data.version === 'number') return data.version;
  if (isRecord(data.customer) && typeof data.customer.version === 'number') {
    return data.customer.version;
  }
  return undefined;
}

/**
 * A CloudEvent of `type` whose payload is the catalog's default merged with `overrides.data`,
 * checked against the catalog's schema. The subject is the customer the event is about, and
 * a `crm.customer.*` event's sequence is the customer's version, as their publishers set them.
 */
export function buildEvent<T extends EventType>(
  type: T,
  overrides: EventOverrides<T> = {},
): TypedEvent<T> {
  const ctx: Context = {
    tenantId: overrides.tenantId ?? newId(),
    time: overrides.time ?? new Date(),
  };
  const data = merge(DEFAULTS[type](ctx), overrides.data);
  const checked = EVENT_CATALOG[type].safeParse(data);
  if (!checked.success) throw new Error(`buildEvent(${type}): ${checked.error.message}`);
  return makeEvent({
    type,
    source: overrides.source ?? sourceOf(type),
    tenantId: ctx.tenantId,
    time: ctx.time,
    subject:
      overrides.subject ??
      customerOfPayload(type, checked.data as EventPayload<T>, ctx.tenantId) ??
      undefined,
    sequence:
      overrides.sequence ?? (type.startsWith('crm.customer.') ? versionOf(data) : undefined),
    id: overrides.id,
    traceparent: overrides.traceparent,
    data: data as EventPayload<T>,
  });
}
