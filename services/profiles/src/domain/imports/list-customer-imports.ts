import type { CustomerImport, ListImportsQuery, Page } from '@crm/contracts';
import { CursorTime, keysetPage, readCursor, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { importsOf, toImportDto } from './customer-import.js';
import type { ImportsDeps } from './imports-deps.js';

/** Where the next page of imports starts: the last one's creation time and id. */
const ImportCursor = z.tuple([CursorTime, z.uuid()]);

export async function listCustomerImports(
  deps: ImportsDeps,
  principal: Principal,
  query: ListImportsQuery,
): Promise<Page<CustomerImport>> {
  let after: { createdAt: Date; id: string } | undefined;
  if (query.cursor) {
    const [createdAt, id] = readCursor(ImportCursor, query.cursor);
    after = { createdAt, id };
  }
  const { rows, next_cursor } = await keysetPage(
    query.limit,
    (limit) => importsOf(deps, principal, after, limit),
    (last) => [last.createdAt.toISOString(), last.id],
  );
  const now = deps.clock();
  return { data: rows.map((r) => toImportDto(r, now)), next_cursor };
}
