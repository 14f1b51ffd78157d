import type { CustomerImport, ListImportsQuery, Page } from '@crm/contracts';
import { CursorTime, keysetPage, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { importsOf, toImportDto } from './customer-import.js';
import type { ImportsDeps } from './imports-deps.js';

/** Where the next page of imports starts: the last one's creation time and id. */
const ImportCursor = z
  .tuple([CursorTime, z.uuid()])
  .transform(([createdAt, id]) => ({ createdAt, id }));

export async function listCustomerImports(
  deps: ImportsDeps,
  principal: Principal,
  query: ListImportsQuery,
): Promise<Page<CustomerImport>> {
  const { rows, next_cursor } = await keysetPage(query, {
    cursor: ImportCursor,
    fetch: (after, limit) => importsOf(deps, principal, after, limit),
    cursorOf: (last) => [last.createdAt.toISOString(), last.id],
  });
  const now = deps.clock();
  return { data: rows.map((r) => toImportDto(r, now)), next_cursor };
}
