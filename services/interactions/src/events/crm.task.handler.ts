import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { addEntry } from '../domain/projection/shared.js';
import { taskEntry } from '../domain/timeline/entries.js';

// One handler for crm.task.created.v1 and .completed.v1: each is an entry of its own.
export function taskChanged(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.task.created.v1' | 'crm.task.completed.v1'>,
): Promise<void> {
  return addEntry(deps, tx, event, taskEntry);
}
