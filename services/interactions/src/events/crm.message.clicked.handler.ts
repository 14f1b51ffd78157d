import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { projectMessage } from '../domain/projection/project-message.js';

export function messageClicked(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.message.clicked.v1'>,
): Promise<void> {
  return projectMessage(deps, tx, event, { engagement: true, signal: 'emailClicks' });
}
