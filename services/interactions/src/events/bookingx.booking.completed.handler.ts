import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { projectBooking } from '../domain/projection/project-booking.js';

/** An attended booking counts towards completed bookings. */
export function bookingCompleted(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'bookingx.booking.completed.v1'>,
): Promise<void> {
  return projectBooking(deps, tx, event, 'completedBookings');
}
