import type { ConsentRecord, Page } from '@crm/contracts';
import { CursorTime, keysetPage, notFound, scopeOf, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { openNote, toConsentDto } from './consent.js';
import type { ConsentDeps } from './consent-deps.js';

/** Where the next page starts: the last record's time and id. */
const ConsentCursor = z.tuple([CursorTime, z.uuid()]).transform(([at, id]) => ({ at, id }));

export async function listConsentHistory(
  deps: ConsentDeps,
  principal: Principal,
  customerId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<ConsentRecord>> {
  const customer = await deps.customers.find(deps.db, scopeOf(principal), customerId);
  if (!customer) throw notFound('Customer');
  const { rows, next_cursor } = await keysetPage(query, {
    cursor: ConsentCursor,
    fetch: (before, limit) =>
      deps.repo.history(deps.db, principal.tenant, customerId, { before, limit }),
    cursorOf: (last) => [last.recordedAt.toISOString(), last.id],
  });
  const dataKey = (await deps.keys.forRead(deps.db, principal.tenant, [customerId])).get(
    customerId,
  );
  return {
    data: rows.map((row) => ({ ...toConsentDto(row), note: openNote(deps.keys, row, dataKey) })),
    next_cursor,
  };
}
