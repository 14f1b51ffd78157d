import type { Opportunity } from '@crm/contracts';
import { notFound, scopeOf, type Principal } from '@crm/service-kit';
import type { OpportunitiesDeps } from './opportunities-deps.js';
import { toOpportunityDto } from './opportunity.js';

export async function getOpportunity(
  deps: OpportunitiesDeps,
  principal: Principal,
  id: string,
): Promise<Opportunity> {
  const row = await deps.repo.find(deps.db, scopeOf(principal), id);
  if (!row) throw notFound('Opportunity');
  return toOpportunityDto(row);
}
