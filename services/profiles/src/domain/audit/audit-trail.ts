import { EMPTY_PREFERENCES, newId, type Customer } from '@crm/contracts';
import { type Executor, HeldBack, memo, remember } from '@crm/service-kit';
import type { AuditRepository } from '../../db/audit.repository.js';
import type { Actor } from '../customers/customer-events.js';
import type { CustomerKeys } from '../privacy/customer-keys.js';
import { entryHash, GENESIS, type ChainedFields } from './chain.js';

export interface Change {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

export interface ChangeContext {
  actor: Actor;
  /** The route (`PATCH /crm/customers/{id}`) or event (`<type> <id>`) behind the change. */
  via: string;
}

/** Not part of what a person changed: bookkeeping of the record itself, or booking facts. */
const NOT_AUDITED = new Set([
  'id',
  'tenant_id',
  'version',
  'created_at',
  'updated_at',
  'source',
  'last_booking_at',
]);

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && Object.keys(value).length === 0)
  );
}

/** What a new customer was created with, field by field. */
export function creationChanges(customer: Customer): Change[] {
  const changes: Change[] = [];
  for (const [field, value] of Object.entries(customer)) {
    if (NOT_AUDITED.has(field) || field === 'custom_fields' || isEmpty(value)) continue;
    if (field === 'preferences' && JSON.stringify(value) === JSON.stringify(EMPTY_PREFERENCES)) {
      continue;
    }
    changes.push({ field, oldValue: null, newValue: value });
  }
  for (const [name, value] of Object.entries(customer.custom_fields ?? {})) {
    changes.push({ field: `custom_fields.${name}`, oldValue: null, newValue: value });
  }
  return changes;
}

/** The field-level changes between two views, given the names `changedFields` found. */
export function updateChanges(before: Customer, after: Customer, changed: string[]): Change[] {
  return changed
    .filter((f) => f !== 'custom_fields' && !NOT_AUDITED.has(f))
    .map((field) => {
      if (field.startsWith('custom_fields.')) {
        const name = field.slice('custom_fields.'.length);
        return {
          field,
          oldValue: before.custom_fields?.[name] ?? null,
          newValue: after.custom_fields?.[name] ?? null,
        };
      }
      const key = field as keyof Customer;
      return { field, oldValue: before[key] ?? null, newValue: after[key] ?? null };
    });
}

function isBlankValue(value: unknown): boolean {
  return value === null || value === undefined;
}

function headMemo(tenantId: string): string {
  return `audit-head:${tenantId}`;
}

/** An entry before it is linked into its tenant's chain (no sequence number or hashes yet). */
type UnlinkedEntry = Omit<ChainedFields, 'seq'>;

/** What the trail writes with; the clock dates each entry. */
export interface AuditTrailDeps {
  repo: AuditRepository;
  keys: CustomerKeys;
  clock: () => Date;
}

/**
 * The profile audit trail, written in the transaction of each change. A transaction may hold
 * its entries back (`defer`) and link them all at once (`flush`): the tenant's chain is then
 * locked only for its last statements, so transactions that handle many events (a consumer's
 * batch) do their work side by side and queue only to append.
 */
export class AuditTrail extends HeldBack<UnlinkedEntry> {
  constructor(private readonly deps: AuditTrailDeps) {
    super((tx, entries) => linkByTenant(deps.repo, tx, entries));
  }

  async record(
    tx: Executor,
    tenantId: string,
    customerId: string,
    changes: Change[],
    ctx: ChangeContext,
    options: { created?: boolean } = {},
  ): Promise<void> {
    if (changes.length === 0) return;
    const sensitive = changes.some((c) => c.field.startsWith('custom_fields.'))
      ? await memo(
          tx,
          `audit-sensitive:${tenantId}`,
          () => this.deps.repo.sensitiveFields(tx, tenantId),
          {
            read: true,
          },
        )
      : new Set<string>();
    // Values are sealed with the customer's data key: erasure destroys it and leaves the
    // chain intact (the hashes cover the ciphertext) while the values become unreadable.
    const needsKey = changes.some(
      (c) => !sensitive.has(c.field) && (!isBlankValue(c.oldValue) || !isBlankValue(c.newValue)),
    );
    const dataKey = !needsKey
      ? null
      : options.created
        ? await this.deps.keys.forNew(tx, tenantId, customerId)
        : await this.deps.keys.forWrite(tx, tenantId, customerId);
    const seal = (id: string, slot: 'old' | 'new', value: unknown): unknown =>
      dataKey === null || isBlankValue(value)
        ? null
        : this.deps.keys.seal(
            dataKey,
            { tenantId, customerId, field: `audit.${id}.${slot}` },
            value,
          );
    const occurredAt = this.deps.clock();
    const entries: UnlinkedEntry[] = changes.map((c) => {
      const masked = sensitive.has(c.field);
      const id = newId();
      return {
        tenantId,
        id,
        customerId,
        occurredAt,
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
        actorName: ctx.actor.name,
        via: ctx.via.slice(0, 200),
        field: c.field,
        oldValue: masked ? null : seal(id, 'old', c.oldValue),
        newValue: masked ? null : seal(id, 'new', c.newValue),
        masked,
      };
    });
    await this.add(tx, entries);
  }
}

/** Links entries into their tenants' chains, tenant by tenant in id order (no lock cycles). */
async function linkByTenant(
  repo: AuditRepository,
  tx: Executor,
  entries: UnlinkedEntry[],
): Promise<void> {
  const byTenant = new Map<string, UnlinkedEntry[]>();
  for (const entry of entries) {
    byTenant.set(entry.tenantId, [...(byTenant.get(entry.tenantId) ?? []), entry]);
  }
  for (const tenantId of [...byTenant.keys()].sort()) {
    await link(repo, tx, tenantId, byTenant.get(tenantId) ?? []);
  }
}

/** Appends entries to the tenant's chain: takes it, links each to the one before, writes. */
async function link(
  repo: AuditRepository,
  tx: Executor,
  tenantId: string,
  entries: UnlinkedEntry[],
): Promise<void> {
  // The transaction keeps the head in memory once it holds the chain's lock (nobody else
  // appends), so each later entry links to it without reading it again.
  const head = await memo(tx, headMemo(tenantId), () => repo.lockHead(tx, tenantId));
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS;
  const rows = entries.map((entry) => {
    seq += 1;
    const fields = { ...entry, seq };
    const hash = entryHash(prev, fields);
    const row = { ...fields, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  await repo.insert(tx, rows);
  remember(tx, headMemo(tenantId), { seq, hash: prev });
}
