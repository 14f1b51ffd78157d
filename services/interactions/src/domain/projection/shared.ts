import type { Executor, Tx } from '@crm/service-kit';
import type { NewInteraction } from '../../db/bookings.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { publishRecorded } from '../interactions/shared.js';

/**
 * The customer an event is about, as it is now: a merged id resolves to its survivor, and the
 * alias is locked so a merge cannot move rows under the transaction.
 */
export function customerOf(
  deps: InteractionsDeps,
  tx: Executor,
  tenantId: string,
  id: string,
): Promise<string> {
  return deps.customers.aliases.lockAndResolve(tx, tenantId, id);
}

/** Bookings, payments and purchases are recorded only with the tenant's `track_bookings`. */
export async function bookingsTracked(
  deps: InteractionsDeps,
  tx: Tx,
  tenantId: string,
): Promise<boolean> {
  return (await deps.repositories.settings.effectiveWithin(tx, tenantId)).trackBookings;
}

/** Stores the interaction once per source event and announces it; false when seen before. */
export async function recordInteraction(
  deps: InteractionsDeps,
  tx: Executor,
  row: NewInteraction,
): Promise<boolean> {
  const fresh = await deps.repositories.bookings.recordInteraction(tx, row);
  if (!fresh) return false;
  await publishRecorded(deps.outbox, tx, row.tenantId, row);
  return true;
}
