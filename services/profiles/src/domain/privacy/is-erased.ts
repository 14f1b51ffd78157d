import type { Executor } from '@crm/service-kit';
import type { ErasureDeps } from './erasure-deps.js';

/**
 * Whether the id belongs to an erased customer, whom nothing may bring back. Holds the id's
 * lock for the rest of the transaction, so an erasure running now is seen once it commits.
 */
export async function isErased(
  deps: ErasureDeps,
  tx: Executor,
  tenantId: string,
  id: string,
): Promise<boolean> {
  await deps.repo.lockId(tx, tenantId, id);
  return (await deps.repo.tombstone(tx, tenantId, id)) !== null;
}
