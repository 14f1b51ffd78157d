import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { customerEntry } from '../domain/timeline/entries.js';

// One handler for crm.customer.created.v1 and .updated.v1: both put the change on the timeline.
export async function customerChanged(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.customer.created.v1' | 'crm.customer.updated.v1'>,
): Promise<void> {
  await deps.repositories.timeline.add(tx, event.tenantid, event.id, customerEntry(event));
}
