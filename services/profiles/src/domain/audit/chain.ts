import { createHash } from 'node:crypto';

/** The first entry of a tenant's chain links to this. */
export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every depth: jsonb does not keep the order keys were written in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface ChainedFields {
  tenantId: string;
  seq: number;
  id: string;
  customerId: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  via: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  masked: boolean;
}

/** SHA-256 over the previous hash and every column of the entry that a reader relies on. */
export function entryHash(prevHash: string, e: ChainedFields): string {
  const body = canonical({
    tenant_id: e.tenantId,
    seq: e.seq,
    id: e.id,
    customer_id: e.customerId,
    occurred_at: e.occurredAt.toISOString(),
    actor: [e.actorType, e.actorId, e.actorName],
    via: e.via,
    field: e.field,
    old_value: e.oldValue ?? null,
    new_value: e.newValue ?? null,
    masked: e.masked,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
