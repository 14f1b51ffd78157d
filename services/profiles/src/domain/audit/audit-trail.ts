import {
  EMPTY_PREFERENCES,
  newId,
  type AuditEntry,
  type Customer,
  type ListAuditQuery,
  type Page,
} from '@crm/contracts';
import {
  type Db,
  encodeCursor,
  type Executor,
  HeldBack,
  memo,
  notFound,
  type Principal,
  readCursor,
  remember,
  type TxContext,
  scopeOf,
} from '@crm/service-kit';
import { z } from 'zod';
import type { AuditRepository } from '../../db/audit.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { AuditRow } from '../../db/schema.js';
import type { Actor } from '../customers/customer-events.js';
import { undecryptable, type CustomerKeys } from '../privacy/customer-keys.js';
import { isSealed, type DataKey } from '../privacy/field-crypto.js';
import { entryHash, GENESIS, type ChainedFields } from './chain.js';

/** Where the next page starts: the last entry's sequence number. */
const AuditCursor = z.tuple([z.number().int().nonnegative()]);

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

/** Not part of what a person changed: bookkeeping of the record itself. */
const NOT_AUDITED = new Set(['id', 'tenant_id', 'version', 'created_at', 'updated_at', 'source']);

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

function isBlankValue(value: unknown): boolean {
  return value === null || value === undefined;
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

interface ChainHead {
  seq: number;
  hash: string;
}

function headMemo(tenantId: string): string {
  return `audit-head:${tenantId}`;
}

export interface VerifyReport {
  tenant_id: string;
  entries: number;
  ok: boolean;
  /** The first entry whose link or content does not match, when the chain is broken. */
  broken_at_seq: number | null;
  reason: string | null;
}

/** An entry before it is linked into its tenant's chain (no sequence number or hashes yet). */
type UnlinkedEntry = Omit<ChainedFields, 'seq'>;

/** The profile audit trail: written in the transaction of each change, read by admins. */
export class AuditTrail {
  /** Entries a transaction holds back (`defer`, on its context) and links all at once by `flush`. */
  private readonly held = new HeldBack<UnlinkedEntry>((tx, entries) =>
    this.linkByTenant(tx, entries),
  );

  constructor(
    private readonly db: Db,
    private readonly repo: AuditRepository,
    private readonly customers: CustomersRepository,
    private readonly keys: CustomerKeys,
    private readonly clock: () => Date = () => new Date(),
  ) {}

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
          () => this.repo.sensitiveFields(tx, tenantId),
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
        ? await this.keys.forNew(tx, tenantId, customerId)
        : await this.keys.forWrite(tx, tenantId, customerId);
    const seal = (id: string, slot: 'old' | 'new', value: unknown): unknown =>
      dataKey === null || isBlankValue(value)
        ? null
        : this.keys.seal(dataKey, { tenantId, customerId, field: `audit.${id}.${slot}` }, value);
    const occurredAt = this.clock();
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
    await this.held.add(tx, entries);
  }

  /**
   * Holds back the entries recorded in the transaction of `ctx` until `flush(ctx)`: the
   * tenant's chain is then locked only for the last statements of the transaction, so
   * transactions that handle many events (a consumer's batch) do their work side by side
   * and queue only to append.
   */
  defer(ctx: TxContext): void {
    this.held.defer(ctx);
  }

  /** Links and writes what `ctx` held back. */
  async flush(ctx: TxContext): Promise<void> {
    await this.held.flush(ctx);
  }

  /**
   * Hands what a savepoint held back over to its transaction once the savepoint succeeded:
   * held there too when the transaction defers, linked now otherwise. A savepoint that was
   * rolled back never hands over, and its entries are dropped with it.
   */
  async handOver(from: TxContext, to: TxContext): Promise<void> {
    await this.held.handOver(from, to);
  }

  /** Links entries into their tenants' chains, tenant by tenant in id order (no lock cycles). */
  private async linkByTenant(tx: Executor, entries: UnlinkedEntry[]): Promise<void> {
    const byTenant = new Map<string, UnlinkedEntry[]>();
    for (const entry of entries) {
      byTenant.set(entry.tenantId, [...(byTenant.get(entry.tenantId) ?? []), entry]);
    }
    for (const tenantId of [...byTenant.keys()].sort()) {
      await this.link(tx, tenantId, byTenant.get(tenantId) ?? []);
    }
  }

  /** Appends entries to the tenant's chain: takes it, links each to the one before, writes. */
  private async link(tx: Executor, tenantId: string, entries: UnlinkedEntry[]): Promise<void> {
    const head = await this.holdChain(tx, tenantId);
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
    await this.repo.insert(tx, rows);
    remember(tx, headMemo(tenantId), { seq, hash: prev });
  }

  /**
   * Takes the tenant's chain for the rest of the transaction and returns its last link. The
   * transaction keeps the head in memory from then on (it holds the lock, so nobody else
   * appends), and each later entry links to it without reading it again.
   */
  private async holdChain(tx: Executor, tenantId: string): Promise<ChainHead | null> {
    return memo(tx, headMemo(tenantId), () => this.repo.lockHead(tx, tenantId));
  }

  async list(
    principal: Principal,
    customerId: string,
    query: ListAuditQuery,
  ): Promise<Page<AuditEntry>> {
    // Erased or merged customers keep their trail; an admin reads it by id.
    const exists = await this.customers.find(this.db, scopeOf(principal), customerId);
    const hasTrail =
      exists !== null ||
      (await this.repo.page(this.db, principal.tenant, customerId, { limit: 1 })).length > 0;
    if (!hasTrail) throw notFound('Customer');
    let beforeSeq: number | undefined;
    if (query.cursor) {
      [beforeSeq] = readCursor(AuditCursor, query.cursor);
    }
    const rows = await this.repo.page(this.db, principal.tenant, customerId, {
      field: query.field,
      beforeSeq,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const dataKey = (await this.keys.forRead(this.db, principal.tenant, [customerId])).get(
      customerId,
    );
    return {
      data: page.map((row) => revealed(this.keys, toAuditDto(row), principal.tenant, dataKey)),
      next_cursor: rows.length > query.limit && last ? encodeCursor([last.seq]) : null,
    };
  }

  /** Walks a tenant's chain from the start; the first entry that does not match breaks it. */
  async verify(tenantId: string, batch = 1000): Promise<VerifyReport> {
    let prev = GENESIS;
    let expectedSeq = 1;
    let entries = 0;
    for (;;) {
      const rows = await this.repo.chain(this.db, tenantId, expectedSeq - 1, batch);
      for (const row of rows) {
        const broken = (reason: string): VerifyReport => ({
          tenant_id: tenantId,
          entries,
          ok: false,
          broken_at_seq: row.seq,
          reason,
        });
        if (row.seq !== expectedSeq)
          return broken(`expected entry ${expectedSeq}, found ${row.seq}`);
        if (row.prevHash !== prev) return broken('links to another previous entry');
        if (entryHash(prev, row) !== row.hash) return broken('content does not match its hash');
        prev = row.hash;
        expectedSeq += 1;
        entries += 1;
      }
      if (rows.length < batch) break;
    }
    return { tenant_id: tenantId, entries, ok: true, broken_at_seq: null, reason: null };
  }

  async tenants(): Promise<string[]> {
    return this.repo.tenants(this.db);
  }
}
