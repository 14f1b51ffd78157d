import type { TimelineEntry, TimelineExportQuery } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import type { InteractionsDeps } from '../../deps.js';
import { timelineRequest } from './shared.js';

const EXPORT_PAGE = 500;

/**
 * Every entry the caller may see, newest first, read in pages so memory stays flat. Access is
 * checked before this resolves, so a refusal is still a clean problem+json, not a cut stream.
 */
export async function exportTimeline(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  query: TimelineExportQuery,
): Promise<AsyncIterable<TimelineEntry>> {
  const resolved = await deps.access.require(deps.db, principal, customerId);
  return entries(deps, principal, resolved, query);
}

async function* entries(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  query: TimelineExportQuery,
): AsyncGenerator<TimelineEntry> {
  let after: { occurredAt: Date; id: string } | undefined;
  for (;;) {
    const rows = await deps.repositories.timeline.page(
      deps.db,
      timelineRequest(principal, customerId, query, EXPORT_PAGE, after),
    );
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < EXPORT_PAGE || !last) return;
    after = { occurredAt: new Date(last.occurred_at), id: last.id };
  }
}
