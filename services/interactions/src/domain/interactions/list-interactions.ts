import type { Interaction, ListInteractionsQuery, Page } from '@crm/contracts';
import { encodeCursor, readCursor, type Principal } from '@crm/service-kit';
import { toInteractionDto } from '../../db/interactions.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { InteractionCursor, requireStaff } from './shared.js';

export async function listInteractions(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  q: ListInteractionsQuery,
): Promise<Page<Interaction>> {
  requireStaff(principal);
  const resolved = await deps.access.require(deps.db, principal, customerId);
  let after: { at: Date; id: string } | undefined;
  if (q.cursor) {
    const [at, id] = readCursor(InteractionCursor, q.cursor);
    after = { at, id };
  }
  const rows = await deps.repositories.interactions.list(deps.db, {
    tenantId: principal.tenant,
    customerId: resolved,
    types: q.type?.split(','),
    staffId: q.staff_id,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    after,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit).map(toInteractionDto);
  const last = page.at(-1);
  return {
    data: page,
    next_cursor:
      rows.length > q.limit && last ? encodeCursor([last.interaction_date, last.id]) : null,
  };
}
