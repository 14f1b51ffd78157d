import { DEFAULT_LIFECYCLE_STAGES, type LifecycleStage } from '@crm/contracts';
import { AppError, memo, type Executor } from '@crm/service-kit';
import type { StagesDeps } from './stages-deps.js';

export interface StageList {
  stages: LifecycleStage[];
  /** 1 for the built-in default list; a tenant's first own list is version 2. */
  version: number;
}

/** Each tenant's lifecycle stages: its own list, or the built-in one until it has one. */
export async function currentStages(
  deps: StagesDeps,
  db: Executor,
  tenantId: string,
): Promise<StageList> {
  return (await deps.repo.get(db, tenantId)) ?? { stages: DEFAULT_LIFECYCLE_STAGES, version: 1 };
}

/** A stage outside the tenant's list is refused with 422 naming the field. */
export async function assertKnownStage(
  deps: StagesDeps,
  db: Executor,
  tenantId: string,
  stage: string,
  field = 'customer_stage',
): Promise<void> {
  // Read once per transaction: an import checks the stage of every row.
  const { stages } = await memo(db, `stages:${tenantId}`, () => currentStages(deps, db, tenantId), {
    read: true,
  });
  if (!stages.some((s) => s.key === stage)) {
    throw new AppError('validation_failed', 'Unknown lifecycle stage', [
      {
        field,
        code: 'unknown_stage',
        message: `"${stage}" is not one of ${stages.map((s) => s.key).join(', ')}`,
      },
    ]);
  }
}
