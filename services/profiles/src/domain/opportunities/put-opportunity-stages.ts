import {
  DEFAULT_OPPORTUNITY_STAGES,
  type OpportunityStages,
  type PutOpportunityStagesBody,
} from '@crm/contracts';
import { AppError, matchesIfMatch, transaction, type Principal } from '@crm/service-kit';
import type { OpportunitiesDeps } from './opportunities-deps.js';
import { withTotals } from './opportunity.js';

export async function putOpportunityStages(
  deps: OpportunitiesDeps,
  principal: Principal,
  body: PutOpportunityStagesBody,
  ifMatch: string | undefined,
): Promise<OpportunityStages & { version: number }> {
  const keys = body.stages.map((s) => s.key);
  const repeated = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (repeated !== -1) {
    throw new AppError('validation_failed', 'A stage key is repeated', [
      { field: `stages.${repeated}.key`, code: 'duplicate', message: 'Stage keys are unique' },
    ]);
  }
  const stored = await transaction(deps.db, async ({ db: tx }) => {
    const current = (await deps.repo.lockStages(tx, principal.tenant)) ?? {
      stages: DEFAULT_OPPORTUNITY_STAGES,
      version: 1,
    };
    if (!matchesIfMatch(ifMatch, current.version)) {
      throw new AppError('precondition_failed', 'The stages changed since you read them');
    }
    return deps.repo.putStages(tx, principal.tenant, body.stages);
  });
  return { ...(await withTotals(deps, principal, stored.stages)), version: stored.version };
}
