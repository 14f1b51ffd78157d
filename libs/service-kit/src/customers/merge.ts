import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db.js';
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

  /**
   * Serialises the facts about one customer with its merge: a fact handled while a merge
   * commits either lands before (and is moved) or after (and follows the alias).
   */
  async lockAndResolve(db: Executor, tenantId: string, customerId: string): Promise<string> {
    await lockCustomers(db, tenantId, [customerId]);
    return this.resolve(db, tenantId, customerId);
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

/** Transaction-scoped locks, always taken in the same order so two merges cannot deadlock. */
export async function lockCustomers(db: Executor, tenantId: string, ids: string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await db.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${tenantId}:${id}`}, 0))`,
    );
  }
}
