import type { TypedEvent } from '@crm/contracts';
import { buildEvent } from '@crm/testing';

/**
 * Tells the access replica that `customerId` exists and whom it is assigned to; staff see
 * a customer's timeline only once this has arrived.
 */
export function assigned(
  tenant: string,
  customerId: string,
  ownerId: string | null = null,
  version = 1,
): TypedEvent<'crm.customer.assignment.changed.v1'> {
  return buildEvent('crm.customer.assignment.changed.v1', {
    tenantId: tenant,
    data: { customer_id: customerId, owner_id: ownerId, version },
  });
}

/** A confirmed BookingX booking by the BookingX customer `bxCustomer`, at `time`. */
export function booked(
  tenant: string,
  bxCustomer: string,
  time: Date,
): TypedEvent<'bookingx.booking.created.v1'> {
  return buildEvent('bookingx.booking.created.v1', {
    tenantId: tenant,
    time,
    sequence: 0,
    data: { booking: { customer: { bookingx_id: bxCustomer }, status: 'confirmed', revision: 0 } },
  });
}
