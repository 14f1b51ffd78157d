import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { projectMessage } from '../domain/projection/project-message.js';

export function messageOpened(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.message.opened.v1'>,
): Promise<void> {
  return projectMessage(deps, tx, event, { engagement: true, signal: 'emailOpens' });
}
