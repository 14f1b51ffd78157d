import type { EventHandler } from '@crm/service-kit';
import { applyBookingxFact } from '../domain/customers/apply-bookingx-fact.js';
import type { ProfilesDeps } from '../service.js';

/** A booking by a customer the CRM does not know yet creates the profile; its number joins the list. */
export function onBookingxBookingCreated(
  deps: ProfilesDeps,
): EventHandler<'bookingx.booking.created.v1'> {
  return ({ tx }, event) =>
    applyBookingxFact(deps, tx, {
      tenantId: event.tenantid,
      person: event.data.booking.customer,
      occurredAt: new Date(event.time),
      mode: 'booking',
      via: `${event.type} ${event.id}`,
    });
}
