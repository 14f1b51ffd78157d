import type { Page, TimelineEntry, TimelineQuery } from '@crm/contracts';
import { encodeCursor, readCursor, type Principal } from '@crm/service-kit';
import type { InteractionsDeps } from '../../deps.js';
import { TimelineCursor, timelineRequest } from './shared.js';

/** One page of a customer's timeline, newest first; a customer sees only entries meant for them. */
export async function getTimeline(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  query: TimelineQuery,
): Promise<Page<TimelineEntry>> {
  const resolved = await deps.access.require(deps.db, principal, customerId);
  let after: { occurredAt: Date; id: string } | undefined;
  if (query.cursor) {
    const [occurredAt, id] = readCursor(TimelineCursor, query.cursor);
    after = { occurredAt, id };
  }
  const rows = await deps.repositories.timeline.page(
    deps.db,
    timelineRequest(principal, resolved, query, query.limit + 1, after),
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page,
    next_cursor:
      rows.length > query.limit && last ? encodeCursor([last.occurred_at, last.id]) : null,
  };
}
