import type { BatchHandler } from '@crm/service-kit';
import {
  applyBookingxFacts,
  type BookingxFactType,
} from '../domain/customers/apply-bookingx-facts.js';
import type { ProfilesDeps } from '../deps.js';

/**
 * Every BookingX fact about a customer (customer events and bookings): one handler registered
 * for all their types, so a batch's facts of any of them are applied together, as one set.
 */
export function bookingxFacts(deps: ProfilesDeps): BatchHandler<BookingxFactType> {
  return { batch: ({ tx }, events) => applyBookingxFacts(deps, tx, events) };
}
