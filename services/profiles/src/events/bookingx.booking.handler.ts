import type { EventHandler } from '@crm/service-kit';
import { applyBookingxFact } from '../domain/customers/apply-bookingx-fact.js';
import type { ProfilesDeps } from '../deps.js';

export type BookingxBookingEvent =
  | 'bookingx.booking.created.v1'
  | 'bookingx.booking.rescheduled.v1'
  | 'bookingx.booking.completed.v1'
  | 'bookingx.booking.cancelled.v1'
  | 'bookingx.booking.no_show.v1';

// One handler for every bookingx.booking.* event: each names the customer who booked.
/** A booking by a customer the CRM does not know yet creates the profile; its number joins the list. */
export function onBookingxBooking(deps: ProfilesDeps): EventHandler<BookingxBookingEvent> {
  return ({ tx }, event) =>
    applyBookingxFact(deps, tx, {
      tenantId: event.tenantid,
      person: event.data.booking.customer,
      occurredAt: new Date(event.time),
      mode: 'booking',
      via: `${event.type} ${event.id}`,
    });
}
