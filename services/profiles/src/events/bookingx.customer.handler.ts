import type { EventHandler } from '@crm/service-kit';
import { applyBookingxFact } from '../domain/customers/apply-bookingx-fact.js';
import type { ProfilesDeps } from '../deps.js';

// One handler for bookingx.customer.created.v1 and .updated.v1: both carry the whole customer.
/** The BookingX customer becomes or refreshes its profile. */
export function onBookingxCustomer(
  deps: ProfilesDeps,
): EventHandler<'bookingx.customer.created.v1' | 'bookingx.customer.updated.v1'> {
  return ({ tx }, event) =>
    applyBookingxFact(deps, tx, {
      tenantId: event.tenantid,
      person: event.data.customer,
      occurredAt: new Date(event.time),
      mode: 'profile',
      via: `${event.type} ${event.id}`,
    });
}
