import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { projectBooking } from '../domain/projection/project-booking.js';

/** A new booking counts towards the customer's bookings. */
export function bookingCreated(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'bookingx.booking.created.v1'>,
): Promise<void> {
  return projectBooking(deps, tx, event, 'bookings');
}
