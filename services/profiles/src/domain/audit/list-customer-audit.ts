import type { AuditEntry, ListAuditQuery, Page } from '@crm/contracts';
import { keysetPage, notFound, scopeOf, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import type { AuditRow } from '../../db/schema.js';
import { undecryptable, type CustomerKeys } from '../privacy/customer-keys.js';
import { isSealed, type DataKey } from '../privacy/field-crypto.js';
import type { AuditDeps } from './audit-deps.js';

/** Where the next page starts: the last entry's sequence number. */
const AuditCursor = z.tuple([z.number().int().nonnegative()]).transform(([seq]) => seq);

export function toAuditDto(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    seq: row.seq,
    customer_id: row.customerId,
    occurred_at: row.occurredAt.toISOString(),
    actor: {
      type: row.actorType as AuditEntry['actor']['type'],
      id: row.actorId,
      name: row.actorName,
    },
    via: row.via,
    field: row.field,
    old_value: row.oldValue ?? null,
    new_value: row.newValue ?? null,
    masked: row.masked,
    hash: row.hash,
  };
}

/**
 * An entry with its sealed values opened. Once the customer is erased its key is gone and the
 * values read as null; the entry itself, and the chain, stay.
 */
function revealed(
  keys: CustomerKeys,
  entry: AuditEntry,
  tenantId: string,
  dataKey: DataKey | undefined,
): AuditEntry {
  const open = (slot: 'old' | 'new', value: unknown): unknown => {
    if (!isSealed(value)) return value;
    if (!dataKey) return null;
    const ctx = { tenantId, customerId: entry.customer_id, field: `audit.${entry.id}.${slot}` };
    try {
      return keys.open(dataKey, ctx, value);
    } catch (err) {
      throw undecryptable(err) ?? err;
    }
  };
  return {
    ...entry,
    old_value: open('old', entry.old_value),
    new_value: open('new', entry.new_value),
  };
}

export async function listCustomerAudit(
  deps: AuditDeps,
  principal: Principal,
  customerId: string,
  query: ListAuditQuery,
): Promise<Page<AuditEntry>> {
  // Erased or merged customers keep their trail; an admin reads it by id.
  const exists = await deps.customers.find(deps.db, scopeOf(principal), customerId);
  const hasTrail =
    exists !== null ||
    (await deps.repo.page(deps.db, principal.tenant, customerId, { limit: 1 })).length > 0;
  if (!hasTrail) throw notFound('Customer');
  const { rows, next_cursor } = await keysetPage(query, {
    cursor: AuditCursor,
    fetch: (after, limit) =>
      deps.repo.page(deps.db, principal.tenant, customerId, {
        field: query.field,
        beforeSeq: after,
        limit,
      }),
    cursorOf: (last) => [last.seq],
  });
  const dataKey = (await deps.keys.forRead(deps.db, principal.tenant, [customerId])).get(
    customerId,
  );
  return {
    data: rows.map((row) => revealed(deps.keys, toAuditDto(row), principal.tenant, dataKey)),
    next_cursor,
  };
}
