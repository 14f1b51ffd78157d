import type { Executor } from '@crm/service-kit';
import { documentOf } from './search-customers.js';
import type { SearchDeps } from './search-deps.js';

/** Brings the index up to the customer's current state, whatever event asked for it. */
export async function refreshSearchDocument(
  deps: SearchDeps,
  tx: Executor,
  tenantId: string,
  customerId: string,
): Promise<void> {
  const record = await deps.customers.find(tx, { kind: 'tenant', tenantId }, customerId);
  if (!record) return;
  const searchable = await deps.fields.searchableNames(tx, tenantId);
  await deps.index.upsert(tx, documentOf(record, searchable));
}
