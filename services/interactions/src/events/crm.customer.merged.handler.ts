import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { mergeEntry } from '../domain/timeline/entries.js';

/** The kit's merge handler has moved the rows to the survivor before this runs. */
export async function customerMerged(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.customer.merged.v1'>,
): Promise<void> {
  await deps.repositories.timeline.add(tx, event.tenantid, event.id, mergeEntry(event));
}
