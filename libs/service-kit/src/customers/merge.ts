import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db.js';
import { memo, remember } from '../tx-context.js';
import type { CustomerTable } from './declaration.js';
import type { CustomerTables } from './tables.js';

/**
 * Merged customers (DESIGN section 3): their rows move to the survivor in every declared
 * table, and an alias sends later facts about a merged id there too.
 */
export class CustomerAliases {
  constructor(
    private readonly tables: CustomerTables,
    private readonly declared: CustomerTable[],
  ) {}

  /** The id facts about `customerId` belong to now (itself, unless it was merged away). */
  async resolve(db: Executor, tenantId: string, customerId: string): Promise<string> {
    const a = this.tables.customerAliases;
    const [row] = await db
      .select({ survivorId: a.survivorId })
      .from(a)
      .where(and(eq(a.tenantId, tenantId), eq(a.mergedId, customerId)));
    return row?.survivorId ?? customerId;
  }

  /** `resolve` for many customers, of any tenants, in one query; in the order of `refs`. */
  async resolveAll(db: Executor, refs: CustomerRef[]): Promise<string[]> {
    if (refs.length === 0) return [];
    const a = this.tables.customerAliases;
    const { rows } = await db.execute<{ i: number; survivor_id: string }>(sql`
      SELECT k.i::int AS i, ${a.survivorId} AS survivor_id
        FROM unnest(${sql.param(refs.map((r) => r.tenantId))}::uuid[],
                    ${sql.param(refs.map((r) => r.customerId))}::uuid[])
             WITH ORDINALITY AS k(tenant_id, customer_id, i)
        JOIN ${a} ON ${a.tenantId} = k.tenant_id AND ${a.mergedId} = k.customer_id`);
    const survivors = new Map(rows.map((r) => [r.i - 1, r.survivor_id]));
    return refs.map((r, i) => survivors.get(i) ?? r.customerId);
  }

  /**
   * Serialises the facts about one customer with its merge: a fact handled while a merge
   * commits either lands before (and is moved) or after (and follows the alias).
   */
  async lockAndResolve(db: Executor, tenantId: string, customerId: string): Promise<string> {
    await lockCustomers(db, tenantId, [customerId]);
    return this.resolve(db, tenantId, customerId);
  }

  /** `lockAndResolve` for many customers: their locks in one sorted sweep, then one query. */
  async lockAndResolveAll(db: Executor, refs: CustomerRef[]): Promise<string[]> {
    await lockCustomersOf(db, refs);
    return this.resolveAll(db, refs);
  }

  /** The ids merged into `survivorId` over time. */
  async mergedInto(db: Executor, tenantId: string, survivorId: string): Promise<string[]> {
    const a = this.tables.customerAliases;
    const rows = await db
      .select({ id: a.mergedId })
      .from(a)
      .where(and(eq(a.tenantId, tenantId), eq(a.survivorId, survivorId)));
    return rows.map((r) => r.id);
  }

  async merge(
    db: Executor,
    tenantId: string,
    survivorId: string,
    mergedIds: string[],
  ): Promise<void> {
    const merged = mergedIds.filter((id) => id !== survivorId);
    if (merged.length === 0) return;
    await lockCustomers(db, tenantId, [survivorId, ...merged]);
    const a = this.tables.customerAliases;
    // A chain (A into B, then B into C) points A straight at C.
    await db
      .update(a)
      .set({ survivorId })
      .where(and(eq(a.tenantId, tenantId), inArray(a.survivorId, merged)));
    await db
      .insert(a)
      .values(merged.map((mergedId) => ({ tenantId, mergedId, survivorId })))
      .onConflictDoUpdate({ target: [a.tenantId, a.mergedId], set: { survivorId } });
    for (const t of this.declared) {
      if (t.merge) {
        await t.merge(db, tenantId, survivorId, merged);
        continue;
      }
      await db.execute(
        sql`UPDATE ${t.table} SET ${sql.identifier(t.customerId.name)} = ${survivorId}
             WHERE ${t.tenantId} = ${tenantId} AND ${inArray(t.customerId, merged)}`,
      );
    }
    // The survivor's own assignment stands; the merged ones' replica rows are gone.
    const r = this.tables.customerAccess;
    await db.delete(r).where(and(eq(r.tenantId, tenantId), inArray(r.customerId, merged)));
  }
}

/** A customer as facts name it: an id within a tenant. */
export interface CustomerRef {
  tenantId: string;
  customerId: string;
}

/** Transaction-scoped locks, always taken in the same order so two merges cannot deadlock. */
export async function lockCustomers(db: Executor, tenantId: string, ids: string[]): Promise<void> {
  await lockCustomersOf(
    db,
    ids.map((customerId) => ({ tenantId, customerId })),
  );
}

/** The customers' locks this transaction holds (see `lockCustomersOf`). */
const HELD_LOCKS = 'customer-locks';

/**
 * `lockCustomers` for customers of any tenants, in one statement. A transaction asks for a
 * lock it already holds only once: the erasure check and the handler behind it lock the same
 * customers, and the second asks for none. A savepoint rolled back releases the locks it took,
 * and its transaction forgets them with it (`TxMemo.undoneWith`).
 */
export async function lockCustomersOf(db: Executor, refs: CustomerRef[]): Promise<void> {
  const held = await memo(db, HELD_LOCKS, () => Promise.resolve(new Set<string>()));
  const keys = [...new Set(refs.map((r) => `${r.tenantId}:${r.customerId}`))]
    .filter((k) => !held.has(k))
    .sort();
  if (keys.length === 0) return;
  // unnest yields the keys in the array's (sorted) order, and each row takes its lock in turn.
  await db.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(${sql.param(keys)}::text[]) AS k`,
  );
  // A new set, never the one remembered: a savepoint's undo restores the one from before it.
  remember(db, HELD_LOCKS, new Set([...held, ...keys]));
}
