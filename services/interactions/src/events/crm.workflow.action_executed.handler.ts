import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { customerOf } from '../domain/projection/shared.js';
import { workflowEntry } from '../domain/timeline/entries.js';

export async function workflowActionExecuted(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.workflow.action_executed.v1'>,
): Promise<void> {
  const customerId = await customerOf(deps, tx, event.tenantid, event.data.customer_id);
  await deps.repositories.timeline.add(
    tx,
    event.tenantid,
    event.id,
    workflowEntry(customerId, event),
  );
}
