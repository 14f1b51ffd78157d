import type { OpportunityStages } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import type { OpportunitiesDeps } from './opportunities-deps.js';
import { pipelineStages, withTotals } from './opportunity.js';

export async function getOpportunityStages(
  deps: OpportunitiesDeps,
  principal: Principal,
): Promise<OpportunityStages & { version: number }> {
  const list = await pipelineStages(deps, deps.db, principal.tenant);
  return { ...(await withTotals(deps, principal, list.stages)), version: list.version };
}
