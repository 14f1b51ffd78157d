import type { EventHandler } from '@crm/service-kit';
import { applyBookingxFact } from '../domain/customers/apply-bookingx-fact.js';
import type { ProfilesDeps } from '../service.js';

/** The BookingX customer becomes or refreshes its profile. */
export function onBookingxCustomerUpdated(
  deps: ProfilesDeps,
): EventHandler<'bookingx.customer.updated.v1'> {
  return ({ tx }, event) =>
    applyBookingxFact(deps, tx, {
      tenantId: event.tenantid,
      person: event.data.customer,
      occurredAt: new Date(event.time),
      mode: 'profile',
      via: `${event.type} ${event.id}`,
    });
}
