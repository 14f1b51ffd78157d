import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { customerOf } from '../domain/projection/shared.js';
import { noteEntry } from '../domain/timeline/entries.js';

// One handler for crm.note.created.v1 and .updated.v1: the note's one entry, at its newest version.
export async function noteSaved(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.note.created.v1' | 'crm.note.updated.v1'>,
): Promise<void> {
  const customerId = await customerOf(deps, tx, event);
  await deps.repositories.timeline.upsertObjectEntry(
    tx,
    event.tenantid,
    event.id,
    noteEntry(customerId, event),
    event.data.note.version,
  );
}
