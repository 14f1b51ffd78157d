import type { BatchHandler } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import type { BookingxFactType } from '../domain/projection/bookingx-facts.js';
import { projectBookingxFacts } from '../domain/projection/project-bookingx-facts.js';

/**
 * Every BookingX fact (bookings, payments, purchases): one handler registered for all their
 * types, so a batch's facts of any of them are projected together, as one set.
 */
export function bookingxFacts(deps: InteractionsDeps): BatchHandler<BookingxFactType> {
  return { batch: ({ tx }, events) => projectBookingxFacts(deps, tx, events) };
}
