import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { customerOf } from '../domain/projection/shared.js';
import { stageEntry } from '../domain/timeline/entries.js';

export async function customerStageChanged(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.customer.stage_changed.v1'>,
): Promise<void> {
  const entry = stageEntry(event);
  entry.customerId = await customerOf(deps, tx, event.tenantid, entry.customerId);
  await deps.repositories.timeline.add(tx, event.tenantid, event.id, entry);
}
