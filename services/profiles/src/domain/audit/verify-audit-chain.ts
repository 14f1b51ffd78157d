import type { AuditDeps } from './audit-deps.js';
import { entryHash, GENESIS } from './chain.js';

export interface VerifyReport {
  tenant_id: string;
  entries: number;
  ok: boolean;
  /** The first entry whose link or content does not match, when the chain is broken. */
  broken_at_seq: number | null;
  reason: string | null;
}

/**
 * Walks a tenant's chain from the start; the first entry that does not match breaks it.
 * Reads hashes only, so it needs no data keys.
 */
export async function verifyAuditChain(
  deps: Pick<AuditDeps, 'db' | 'repo'>,
  tenantId: string,
  batch = 1000,
): Promise<VerifyReport> {
  let prev = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  for (;;) {
    const rows = await deps.repo.chain(deps.db, tenantId, expectedSeq - 1, batch);
    for (const row of rows) {
      const broken = (reason: string): VerifyReport => ({
        tenant_id: tenantId,
        entries,
        ok: false,
        broken_at_seq: row.seq,
        reason,
      });
      if (row.seq !== expectedSeq) return broken(`expected entry ${expectedSeq}, found ${row.seq}`);
      if (row.prevHash !== prev) return broken('links to another previous entry');
      if (entryHash(prev, row) !== row.hash) return broken('content does not match its hash');
      prev = row.hash;
      expectedSeq += 1;
      entries += 1;
    }
    if (rows.length < batch) break;
  }
  return { tenant_id: tenantId, entries, ok: true, broken_at_seq: null, reason: null };
}
