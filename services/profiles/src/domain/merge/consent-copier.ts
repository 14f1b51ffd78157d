import { newId } from '@crm/contracts';
import type { Executor, Principal } from '@crm/service-kit';
import type { ConsentRepository } from '../../db/consent.repository.js';
import type { MergeDeps } from './merge-deps.js';

/**
 * The ledger is append-only, so merged customers' records stay where they are; the survivor
 * gets a record of its own, source `merge`, for each channel and purpose it had none of.
 */
export async function copyMissingConsent(
  deps: MergeDeps,
  tx: Executor,
  tenantId: string,
  survivorId: string,
  mergedIds: string[],
  principal: Principal,
): Promise<void> {
  const have = await deps.consent.current(tx, tenantId, survivorId);
  const covered = new Set(have.map((r) => `${r.channel}/${r.purpose}`));
  const newest = new Map<string, Awaited<ReturnType<ConsentRepository['current']>>[number]>();
  for (const id of mergedIds) {
    for (const r of await deps.consent.current(tx, tenantId, id)) {
      const key = `${r.channel}/${r.purpose}`;
      const seen = newest.get(key);
      if (!covered.has(key) && (!seen || seen.recordedAt < r.recordedAt)) newest.set(key, r);
    }
  }
  for (const r of newest.values()) {
    await deps.consent.insert(tx, {
      tenantId,
      id: newId(),
      customerId: survivorId,
      channel: r.channel,
      purpose: r.purpose,
      granted: r.granted,
      source: 'merge',
      note: `From ${r.customerId}, recorded ${r.recordedAt.toISOString()} (${r.source})`,
      actorType: 'staff',
      actorId: principal.sub,
      recordedAt: deps.clock(),
    });
  }
}
