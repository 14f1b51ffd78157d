import { type BulkResult, type BulkStageBody } from '@crm/contracts';
import { type Principal } from '@crm/service-kit';
import { bulkSet } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';

export async function bulkSetStage(
  deps: CustomersDeps,
  principal: Principal,
  body: BulkStageBody,
): Promise<BulkResult> {
  return bulkSet(deps, principal, body, { customerStage: body.customer_stage }, 'bulkSetStage');
}
