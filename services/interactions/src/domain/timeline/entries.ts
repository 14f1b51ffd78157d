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
  return {
    customerId,
    kind: 'booking',
    type: event.type,
    occurredAt: new Date(event.time),
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
  };
}

type PaymentEvent = TypedEvent<'bookingx.payment.captured.v1' | 'bookingx.payment.refunded.v1'>;

export function paymentEntry(customerId: string, event: PaymentEvent): NewTimelineEntry {
  const p = event.data.payment;
  const refunded = event.type === 'bookingx.payment.refunded.v1';
  const amount = formatMoney(p.amount.amount_minor, p.amount.currency);
  return {
    customerId,
    kind: 'payment',
    type: event.type,
    occurredAt: new Date(p.occurred_at),
    actor: { type: 'bookingx', id: p.customer.bookingx_id, name: null },
    summary: refunded ? `Refunded ${amount}` : `Paid ${amount} by ${p.method.replace('_', ' ')}`,
    icon: refunded ? 'rotate-ccw' : 'credit-card',
    source: { service: 'bookingx', objectType: 'payment', objectId: p.bookingx_id },
    data: { amount: p.amount, method: p.method, booking_id: p.booking_id },
  };
}

type CustomerEvent = TypedEvent<'crm.customer.created.v1' | 'crm.customer.updated.v1'>;

export function customerEntry(event: CustomerEvent): NewTimelineEntry {
  const c = event.data.customer;
  const created = event.type === 'crm.customer.created.v1';
  const changed = 'changed_fields' in event.data ? event.data.changed_fields : [];
  return {
    customerId: c.id,
    kind: 'customer',
    type: event.type,
    occurredAt: new Date(event.time),
    actor: { type: 'system', id: null, name: null },
    summary: created
      ? `Profile created${c.source === 'bookingx' ? ' from BookingX' : ''}`
      : `Profile updated: ${changed.join(', ').replaceAll('_', ' ')}`,
    icon: created ? 'user-plus' : 'user-pen',
    source: { service: 'profiles', objectType: 'customer', objectId: c.id },
    data: created ? { source: c.source } : { changed_fields: changed },
  };
}
