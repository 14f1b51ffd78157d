import { DEFAULT_LIFECYCLE_STAGES, type PutLifecycleStagesBody } from '@crm/contracts';
import { AppError, matchesIfMatch, transaction, type Principal } from '@crm/service-kit';
import type { StageList } from './lifecycle-stages.js';
import type { StagesDeps } from './stages-deps.js';

export async function putLifecycleStages(
  deps: StagesDeps,
  principal: Principal,
  body: PutLifecycleStagesBody,
  ifMatch: string | undefined,
): Promise<StageList> {
  const keys = body.stages.map((s) => s.key);
  const repeated = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (repeated !== -1) {
    throw new AppError('validation_failed', 'A stage key is repeated', [
      {
        field: `stages.${repeated}.key`,
        code: 'duplicate',
        message: `Stage ${keys[repeated] ?? ''} appears twice`,
      },
    ]);
  }
  if (!keys.includes(deps.defaultStage)) {
    throw new AppError('validation_failed', 'The default stage of new customers is missing', [
      {
        field: 'stages',
        code: 'missing_default_stage',
        message: `The list must hold "${deps.defaultStage}", where new customers start`,
      },
    ]);
  }
  return transaction(deps.db, async ({ db: tx }) => {
    const stored = (await deps.repo.lock(tx, principal.tenant)) ?? {
      stages: DEFAULT_LIFECYCLE_STAGES,
      version: 1,
    };
    if (!matchesIfMatch(ifMatch, stored.version)) {
      throw new AppError(
        'precondition_failed',
        `The stages changed since you read them (now version ${stored.version})`,
      );
    }
    return deps.repo.put(tx, principal.tenant, body.stages);
  });
}
