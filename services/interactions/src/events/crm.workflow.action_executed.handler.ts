import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { addEntry } from '../domain/projection/shared.js';
import { workflowEntry } from '../domain/timeline/entries.js';

export function workflowActionExecuted(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.workflow.action_executed.v1'>,
): Promise<void> {
  return addEntry(deps, tx, event, workflowEntry);
}
