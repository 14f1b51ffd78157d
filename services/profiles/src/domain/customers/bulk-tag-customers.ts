import { transaction } from '@crm/service-kit';
import { type BulkResult, type BulkTagsBody } from '@crm/contracts';
import { type Principal } from '@crm/service-kit';
import { routeContext } from './customer-events.js';
import { lockTargets, applyTags, bulkResult } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';

export async function bulkTagCustomers(
  deps: CustomersDeps,
  principal: Principal,
  body: BulkTagsBody,
): Promise<BulkResult> {
  return transaction(deps.db, async ({ db: tx }) => {
    const target = await lockTargets(deps, tx, principal, body);
    const changed = await applyTags(
      deps,
      tx,
      principal,
      target.found,
      body,
      routeContext(principal, 'bulkTagCustomers'),
    );
    return bulkResult(target, new Set(changed.map((r) => r.row.id)));
  });
}
