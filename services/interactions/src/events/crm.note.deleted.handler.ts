import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';

export async function noteDeleted(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.note.deleted.v1'>,
): Promise<void> {
  await deps.repositories.timeline.removeObjectEntries(
    tx,
    event.tenantid,
    'note',
    event.data.note.id,
  );
}
