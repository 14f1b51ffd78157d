import type { ImportRowError, ListImportErrorsQuery, Page } from '@crm/contracts';
import { keysetPage, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { findImport } from './customer-import.js';
import type { ImportsDeps } from './imports-deps.js';

/** Where the next page of row errors starts: the last one's row and sequence number. */
const ImportErrorCursor = z
  .tuple([z.number().int(), z.number().int()])
  .transform(([row, seq]) => ({ row, seq }));

export async function listCustomerImportErrors(
  deps: ImportsDeps,
  principal: Principal,
  id: string,
  query: ListImportErrorsQuery,
): Promise<Page<ImportRowError>> {
  await findImport(deps, principal, id);
  const { rows, next_cursor } = await keysetPage(query, {
    cursor: ImportErrorCursor,
    fetch: (after, limit) => deps.repo.errors(deps.db, principal.tenant, id, after, limit),
    cursorOf: (last) => [last.rowNumber, last.seq],
  });
  return {
    data: rows.map((r) => ({
      row: r.rowNumber,
      column: r.column,
      code: r.code,
      message: r.message,
    })),
    next_cursor,
  };
}
