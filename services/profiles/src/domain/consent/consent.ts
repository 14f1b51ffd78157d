import type { ConsentRecord } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import type { ConsentRow } from '../../db/schema.js';
import { isUuid } from '../customers/customer-changes.js';
import { undecryptable, type CustomerKeys } from '../privacy/customer-keys.js';
import { isSealed, type DataKey } from '../privacy/field-crypto.js';

/** Whose consent: the caller's own (`/me`) or a customer's by id. */
export type Whose = 'self' | { customerId: string };

export function toConsentDto(row: ConsentRow): ConsentRecord {
  return {
    id: row.id,
    customer_id: row.customerId,
    channel: row.channel as ConsentRecord['channel'],
    purpose: row.purpose as ConsentRecord['purpose'],
    granted: row.granted,
    source: row.source,
    note: row.note,
    recorded_at: row.recordedAt.toISOString(),
    recorded_by: { type: row.actorType as ConsentRecord['recorded_by']['type'], id: row.actorId },
  };
}

/** A record's note in clear; null once the customer's key is destroyed. */
export function openNote(
  keys: CustomerKeys,
  row: ConsentRow,
  dataKey: DataKey | undefined,
): string | null {
  if (!isSealed(row.note)) return row.note;
  if (!dataKey) return null;
  const ctx = {
    tenantId: row.tenantId,
    customerId: row.customerId,
    field: `consent.${row.id}.note`,
  };
  try {
    return keys.open(dataKey, ctx, row.note) as string;
  } catch (err) {
    throw undecryptable(err) ?? err;
  }
}

/** The customer a caller means: their own for `/me`, any they may see otherwise. */
export function consentHolder(principal: Principal, whose: Whose): string {
  if (whose === 'self') {
    if (!isUuid(principal.sub)) throw notFound('Customer');
    return principal.sub;
  }
  return whose.customerId;
}
