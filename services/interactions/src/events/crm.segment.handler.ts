import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { addEntry } from '../domain/projection/shared.js';
import { segmentEntry } from '../domain/timeline/entries.js';

// One handler for crm.segment.member_added.v1 and .member_removed.v1: each is an entry of its own.
export function segmentMembershipChanged(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'crm.segment.member_added.v1' | 'crm.segment.member_removed.v1'>,
): Promise<void> {
  return addEntry(deps, tx, event, segmentEntry);
}
