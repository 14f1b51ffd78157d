import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { projectBooking } from '../domain/projection/project-booking.js';

/** A missed booking counts towards no-shows. */
export function bookingNoShow(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'bookingx.booking.no_show.v1'>,
): Promise<void> {
  return projectBooking(deps, tx, event, 'noShows');
}
