import { randomUUID } from 'node:crypto';
import { makeEvent, type BookingStatus, type CloudEvent } from '@crm/contracts';

let counter = 5000;

export function newTenant(): string {
  return randomUUID();
}

export interface BookingSpec {
  tenantId: string;
  customerBxId: string;
  bookingBxId?: string;
  revision: number;
  status: BookingStatus;
  type:
    | 'bookingx.booking.created.v1'
    | 'bookingx.booking.rescheduled.v1'
    | 'bookingx.booking.completed.v1'
    | 'bookingx.booking.cancelled.v1'
    | 'bookingx.booking.no_show.v1';
  time: string;
  startAt?: string;
}

export function nextBxId(): string {
  counter += 1;
  return String(counter);
}

export function buildBookingEvent(spec: BookingSpec): CloudEvent {
  const start = spec.startAt ?? '2026-05-12T10:00:00.000Z';
  return makeEvent({
    type: spec.type,
    source: 'bookingx/test',
    tenantId: spec.tenantId,
    time: new Date(spec.time),
    sequence: spec.revision,
    data: {
      booking: {
        bookingx_id: spec.bookingBxId ?? nextBxId(),
        customer: { bookingx_id: spec.customerBxId, first_name: 'Linus', last_name: 'Pauling' },
        service: { id: '11', name: 'Haircut', duration_minutes: 45 },
        staff: { id: '21', name: 'Anna' },
        start_at: start,
        end_at: new Date(Date.parse(start) + 45 * 60_000).toISOString(),
        price: { amount_minor: 4500, currency: 'EUR' },
        status: spec.status,
        revision: spec.revision,
      },
    },
  });
}

export function buildPaymentEvent(
  tenantId: string,
  customerBxId: string,
  bookingBxId: string,
  time: string,
): CloudEvent {
  return makeEvent({
    type: 'bookingx.payment.captured.v1',
    source: 'bookingx/test',
    tenantId,
    time: new Date(time),
    data: {
      payment: {
        bookingx_id: nextBxId(),
        booking_id: bookingBxId,
        customer: { bookingx_id: customerBxId, first_name: 'Linus', last_name: 'Pauling' },
        amount: { amount_minor: 4500, currency: 'EUR' },
        method: 'card',
        occurred_at: time,
      },
    },
  });
}

export function randomSuffix(): string {
  return randomUUID().slice(0, 8);
}
