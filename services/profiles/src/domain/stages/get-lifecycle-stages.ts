import type { Principal } from '@crm/service-kit';
import { currentStages, type StageList } from './lifecycle-stages.js';
import type { StagesDeps } from './stages-deps.js';

export async function getLifecycleStages(
  deps: StagesDeps,
  principal: Principal,
): Promise<StageList> {
  return currentStages(deps, deps.db, principal.tenant);
}
