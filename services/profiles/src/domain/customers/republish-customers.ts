import { type Executor } from '@crm/service-kit';
import { toCustomerDto, type CustomerRecord } from './customer.js';
import type { ChangeContext } from '../audit/audit-trail.js';
import type { CustomersDeps } from './customers-deps.js';

/**
 * After a side table of these customers changed (tags, a renamed or deleted tag): a new
 * version of each and `crm.customer.updated.v1` with what changed.
 */
export async function republishCustomers(
  deps: CustomersDeps,
  tx: Executor,
  tenantId: string,
  before: CustomerRecord[],
  ctx: ChangeContext,
): Promise<CustomerRecord[]> {
  if (before.length === 0) return [];
  const rows = await deps.repo.bumpVersions(
    tx,
    tenantId,
    before.map((r) => r.row.id),
  );
  const after = await deps.repo.records(tx, rows);
  const byId = new Map(before.map((r) => [r.row.id, r]));
  for (const record of after) {
    const old = byId.get(record.row.id);
    if (old) await deps.events.changed(tx, toCustomerDto(old), toCustomerDto(record), ctx);
  }
  return after;
}

/**
 * A change to the tenant's catalog (a tag renamed or deleted, a custom field switched on or
 * off or deleted) that shows on the customers `carrierIds`: they are locked tenant-wide before
 * `change` runs, and after it each gets a new version and `crm.customer.updated.v1`.
 */
export async function changeCatalog<T>(
  deps: CustomersDeps,
  tx: Executor,
  tenantId: string,
  carrierIds: string[],
  ctx: ChangeContext,
  change: () => Promise<T>,
): Promise<T> {
  const carriers = await deps.repo.lockMany(tx, { kind: 'tenant', tenantId }, carrierIds);
  const result = await change();
  await republishCustomers(deps, tx, tenantId, carriers, ctx);
  return result;
}
