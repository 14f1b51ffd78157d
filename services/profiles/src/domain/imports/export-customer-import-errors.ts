import type { Principal } from '@crm/service-kit';
import { findImport } from './customer-import.js';
import type { ImportsDeps } from './imports-deps.js';

/** The whole error report as CSV rows, header first, read in keyset batches. */
export async function exportCustomerImportErrors(
  deps: ImportsDeps,
  principal: Principal,
  id: string,
): Promise<AsyncIterable<string[]>> {
  await findImport(deps, principal, id);
  const tenantId = principal.tenant;
  return {
    async *[Symbol.asyncIterator]() {
      yield ['row', 'column', 'code', 'message'];
      let after: { row: number; seq: number } | undefined;
      for (;;) {
        const rows = await deps.repo.errors(deps.db, tenantId, id, after, 1000);
        for (const r of rows) yield [String(r.rowNumber), r.column ?? '', r.code, r.message];
        const last = rows.at(-1);
        if (!last || rows.length < 1000) return;
        after = { row: last.rowNumber, seq: last.seq };
      }
    },
  };
}
