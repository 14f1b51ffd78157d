import type { ListOpportunitiesQuery, Opportunity, Page } from '@crm/contracts';
import { CursorTime, keysetPage, notFound, scopeOf, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import type { OpportunitiesDeps } from './opportunities-deps.js';
import { toOpportunityDto } from './opportunity.js';

/** Where the next page starts: the last opportunity's creation time and id. */
const OpportunityCursor = z.tuple([CursorTime, z.uuid()]).transform(([at, id]) => ({ at, id }));

/** The opportunities the caller sees, of one customer when `customerId` is given. */
export async function listOpportunities(
  deps: OpportunitiesDeps,
  principal: Principal,
  query: ListOpportunitiesQuery,
  customerId?: string,
): Promise<Page<Opportunity>> {
  const scope = scopeOf(principal);
  if (customerId) {
    const [visible] = await deps.customers.visible(deps.db, scope, [customerId]);
    if (!visible) throw notFound('Customer');
  }
  const { rows, next_cursor } = await keysetPage(query, {
    cursor: OpportunityCursor,
    fetch: (before, limit) =>
      deps.repo.list(
        deps.db,
        scope,
        { customerId, stage: query.stage, status: query.status, ownerId: query.owner_id },
        { before, limit },
      ),
    cursorOf: (last) => [last.createdAt.toISOString(), last.id],
  });
  return { data: rows.map(toOpportunityDto), next_cursor };
}
