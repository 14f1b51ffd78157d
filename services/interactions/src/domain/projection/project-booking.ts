import { newId, type TypedEvent } from '@crm/contracts';
import type { Tx } from '@crm/service-kit';
import type { Signal } from '../../db/engagement.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { bookingEntry } from '../timeline/entries.js';
import { recordInteraction, trackedCustomerOf } from './shared.js';

export type BookingEvent = TypedEvent<
  | 'bookingx.booking.created.v1'
  | 'bookingx.booking.rescheduled.v1'
  | 'bookingx.booking.completed.v1'
  | 'bookingx.booking.cancelled.v1'
  | 'bookingx.booking.no_show.v1'
>;

/**
 * A BookingX booking event: the booking's newest revision, an interaction (once per event,
 * counting `signal` towards engagement the first time), and its timeline entry.
 */
export async function projectBooking(
  deps: InteractionsDeps,
  tx: Tx,
  event: BookingEvent,
  signal: Signal | null,
): Promise<void> {
  const customerId = await trackedCustomerOf(deps, tx, event);
  if (customerId === null) return;
  const b = event.data.booking;
  await deps.repositories.bookings.applyRevision(tx, event.tenantid, customerId, b);
  const fresh = await recordInteraction(deps, tx, {
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
  });
  if (fresh && signal) {
    await deps.repositories.engagement.bump(
      tx,
      event.tenantid,
      customerId,
      signal,
      new Date(event.time),
    );
  }
  await deps.repositories.timeline.add(
    tx,
    event.tenantid,
    event.id,
    bookingEntry(customerId, event),
  );
}
