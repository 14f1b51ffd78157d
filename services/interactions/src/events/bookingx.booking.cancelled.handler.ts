import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { projectBooking } from '../domain/projection/project-booking.js';

export function bookingCancelled(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'bookingx.booking.cancelled.v1'>,
): Promise<void> {
  return projectBooking(deps, tx, event, null);
}
