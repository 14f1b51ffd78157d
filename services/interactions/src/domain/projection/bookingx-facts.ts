import { newId, type BookingxBooking, type TypedEvent } from '@crm/contracts';
import type { NewInteraction } from '../../db/bookings.repository.js';
import type { Signal } from '../../db/engagement.repository.js';
import {
  bookingEntry,
  paymentEntry,
  purchaseEntry,
  type NewTimelineEntry,
} from '../timeline/entries.js';

export type BookingEventType =
  | 'bookingx.booking.created.v1'
  | 'bookingx.booking.rescheduled.v1'
  | 'bookingx.booking.completed.v1'
  | 'bookingx.booking.cancelled.v1'
  | 'bookingx.booking.no_show.v1';
export type PaymentEventType = 'bookingx.payment.captured.v1' | 'bookingx.payment.refunded.v1';
export type BookingxFactType =
  BookingEventType | PaymentEventType | 'bookingx.purchase.completed.v1';
export type BookingxFact = TypedEvent<BookingxFactType>;

/** What one BookingX fact records for its customer. */
export interface FactRecord {
  /** The booking's state at this event's revision (booking events only). */
  booking: BookingxBooking | null;
  /** Recorded once per event. */
  interaction: NewInteraction;
  /** What the event counts towards engagement, the first time it is recorded. */
  signal: Signal | null;
  entry: NewTimelineEntry;
}

/** What a booking event counts towards: new, attended and missed bookings. */
const BOOKING_SIGNAL: Record<BookingEventType, Signal | null> = {
  'bookingx.booking.created.v1': 'bookings',
  'bookingx.booking.rescheduled.v1': null,
  'bookingx.booking.completed.v1': 'completedBookings',
  'bookingx.booking.cancelled.v1': null,
  'bookingx.booking.no_show.v1': 'noShows',
};

function bookingRecord(event: TypedEvent<BookingEventType>, customerId: string): FactRecord {
  const b = event.data.booking;
  return {
    booking: b,
    interaction: {
      tenantId: event.tenantid,
      id: newId(),
      customerId,
      interactionType: 'booking',
      interactionSource: 'bookingx',
      subject: b.service.name,
      bookingId: b.bookingx_id,
      staffId: b.staff.id,
      direction: 'inbound',
      outcome: b.status,
      durationMinutes: b.service.duration_minutes,
      amountMinor: b.price.amount_minor,
      currency: b.price.currency,
      metadata: { event_type: event.type, revision: b.revision, start_at: b.start_at },
      interactionDate: new Date(event.time),
      sourceEventId: event.id,
    },
    signal: BOOKING_SIGNAL[event.type],
    entry: bookingEntry(customerId, event),
  };
}

/** A payment or a refund, whose amount is negative. */
function paymentRecord(event: TypedEvent<PaymentEventType>, customerId: string): FactRecord {
  const p = event.data.payment;
  const refunded = event.type === 'bookingx.payment.refunded.v1';
  return {
    booking: null,
    interaction: {
      tenantId: event.tenantid,
      id: newId(),
      customerId,
      interactionType: 'payment',
      interactionSource: 'bookingx',
      subject: refunded ? 'Refund' : 'Payment',
      bookingId: p.booking_id,
      staffId: null,
      direction: refunded ? 'outbound' : 'inbound',
      outcome: refunded ? 'refunded' : 'captured',
      durationMinutes: null,
      amountMinor: refunded ? -p.amount.amount_minor : p.amount.amount_minor,
      currency: p.amount.currency,
      metadata: { method: p.method, payment_id: p.bookingx_id },
      interactionDate: new Date(p.occurred_at),
      sourceEventId: event.id,
    },
    signal: null,
    entry: paymentEntry(customerId, event),
  };
}

function purchaseRecord(
  event: TypedEvent<'bookingx.purchase.completed.v1'>,
  customerId: string,
): FactRecord {
  const p = event.data.purchase;
  return {
    booking: null,
    interaction: {
      tenantId: event.tenantid,
      id: newId(),
      customerId,
      interactionType: 'purchase',
      interactionSource: 'bookingx',
      subject: p.items
        .map((i) => i.name)
        .join(', ')
        .slice(0, 500),
      bookingId: null,
      staffId: null,
      direction: 'inbound',
      outcome: 'completed',
      durationMinutes: null,
      amountMinor: p.total.amount_minor,
      currency: p.total.currency,
      metadata: { purchase_id: p.bookingx_id, items: p.items.length },
      interactionDate: new Date(p.occurred_at),
      sourceEventId: event.id,
    },
    signal: null,
    entry: purchaseEntry(customerId, event),
  };
}

type RecordOf = {
  [T in BookingxFactType]: (event: TypedEvent<T>, customerId: string) => FactRecord;
};

const RECORD_OF: RecordOf = {
  'bookingx.booking.created.v1': bookingRecord,
  'bookingx.booking.rescheduled.v1': bookingRecord,
  'bookingx.booking.completed.v1': bookingRecord,
  'bookingx.booking.cancelled.v1': bookingRecord,
  'bookingx.booking.no_show.v1': bookingRecord,
  'bookingx.payment.captured.v1': paymentRecord,
  'bookingx.payment.refunded.v1': paymentRecord,
  'bookingx.purchase.completed.v1': purchaseRecord,
};

/** What `event` records for `customerId` (the customer it belongs to now). */
export function recordOf(event: BookingxFact, customerId: string): FactRecord {
  const of = RECORD_OF[event.type] as (event: BookingxFact, customerId: string) => FactRecord;
  return of(event, customerId);
}
