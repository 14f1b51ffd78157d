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

/** Tenant-wide, for catalog changes that touch every customer carrying a tag. */
export async function lockForCatalog(
  deps: CustomersDeps,
  tx: Executor,
  tenantId: string,
  ids: string[],
): Promise<CustomerRecord[]> {
  return deps.repo.lockMany(tx, { kind: 'tenant', tenantId }, ids);
}
