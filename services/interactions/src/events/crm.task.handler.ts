import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { customerOf } from '../domain/projection/shared.js';
import { taskEntry } from '../domain/timeline/entries.js';

// One handler for crm.task.created.v1 and .completed.v1: each is an entry of its own.
export async function taskChanged(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.task.created.v1' | 'crm.task.completed.v1'>,
): Promise<void> {
  const customerId = await customerOf(deps, tx, event.tenantid, event.data.task.customer_id);
  await deps.repositories.timeline.add(tx, event.tenantid, event.id, taskEntry(customerId, event));
}
