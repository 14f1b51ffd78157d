import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { addEntry } from '../domain/projection/shared.js';
import { stageEntry } from '../domain/timeline/entries.js';

export function customerStageChanged(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.customer.stage_changed.v1'>,
): Promise<void> {
  return addEntry(deps, tx, event, stageEntry);
}
