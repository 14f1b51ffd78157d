import type { ImportRowError, ListImportErrorsQuery, Page } from '@crm/contracts';
import { keysetPage, readCursor, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { findImport } from './customer-import.js';
import type { ImportsDeps } from './imports-deps.js';

/** Where the next page of row errors starts: the last one's row and sequence number. */
const ImportErrorCursor = z.tuple([z.number().int(), z.number().int()]);

export async function listCustomerImportErrors(
  deps: ImportsDeps,
  principal: Principal,
  id: string,
  query: ListImportErrorsQuery,
): Promise<Page<ImportRowError>> {
  await findImport(deps, principal, id);
  let after: { row: number; seq: number } | undefined;
  if (query.cursor) {
    const [row, seq] = readCursor(ImportErrorCursor, query.cursor);
    after = { row, seq };
  }
  const { rows, next_cursor } = await keysetPage(
    query.limit,
    (limit) => deps.repo.errors(deps.db, principal.tenant, id, after, limit),
    (last) => [last.rowNumber, last.seq],
  );
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
