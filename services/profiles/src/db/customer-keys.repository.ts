import type { Executor } from '@crm/service-kit';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { customerKeys, type CustomerKeyRow } from './schema.js';

export class CustomerKeysRepository {
  async find(db: Executor, tenantId: string, customerIds: string[]): Promise<CustomerKeyRow[]> {
    if (customerIds.length === 0) return [];
    return db
      .select()
      .from(customerKeys)
      .where(
        and(eq(customerKeys.tenantId, tenantId), inArray(customerKeys.customerId, customerIds)),
      );
  }

  /** The keys of customers of any tenants, in one statement. */
  async findAll(
    db: Executor,
    keys: { tenantId: string; customerId: string }[],
  ): Promise<CustomerKeyRow[]> {
    if (keys.length === 0) return [];
    return db
      .select()
      .from(customerKeys)
      .where(
        sql`(${customerKeys.tenantId}, ${customerKeys.customerId}) IN (SELECT * FROM unnest(${sql.param(keys.map((k) => k.tenantId))}::uuid[], ${sql.param(keys.map((k) => k.customerId))}::uuid[]))`,
      );
  }

  /** `insertIfAbsent` for many customers: one statement to store, one to read what was there. */
  async insertAllIfAbsent(
    db: Executor,
    rows: (typeof customerKeys.$inferInsert)[],
  ): Promise<CustomerKeyRow[]> {
    if (rows.length === 0) return [];
    const inserted = await db.insert(customerKeys).values(rows).onConflictDoNothing().returning();
    if (inserted.length === rows.length) return inserted;
    const stored = new Set(inserted.map((r) => `${r.tenantId}:${r.customerId}`));
    const rest = rows.filter((r) => !stored.has(`${r.tenantId}:${r.customerId}`));
    return [...inserted, ...(await this.findAll(db, rest))];
  }

  /** Stores the key unless the customer has one already; returns the one that is stored. */
  async insertIfAbsent(
    db: Executor,
    row: typeof customerKeys.$inferInsert,
  ): Promise<CustomerKeyRow> {
    const [inserted] = await db.insert(customerKeys).values(row).onConflictDoNothing().returning();
    if (inserted) return inserted;
    const [stored] = await this.find(db, row.tenantId, [row.customerId]);
    if (!stored) throw new Error('customer key vanished after insert');
    return stored;
  }

  async delete(db: Executor, tenantId: string, customerIds: string[]): Promise<number> {
    if (customerIds.length === 0) return 0;
    const rows = await db
      .delete(customerKeys)
      .where(
        and(eq(customerKeys.tenantId, tenantId), inArray(customerKeys.customerId, customerIds)),
      )
      .returning({ id: customerKeys.customerId });
    return rows.length;
  }

  /**
   * Keys still wrapped by another master key than `activeId`, locked for this transaction;
   * rows another rotator holds are skipped, so several may run at once.
   */
  async claimStale(
    db: Executor,
    activeId: string,
    limit: number,
    tenantId?: string,
  ): Promise<CustomerKeyRow[]> {
    const stale = ne(customerKeys.masterKeyId, activeId);
    return db
      .select()
      .from(customerKeys)
      .where(tenantId === undefined ? stale : and(stale, eq(customerKeys.tenantId, tenantId)))
      .orderBy(
        asc(customerKeys.masterKeyId),
        asc(customerKeys.tenantId),
        asc(customerKeys.customerId),
      )
      .limit(limit)
      .for('update', { skipLocked: true });
  }

  async rewrap(
    db: Executor,
    row: CustomerKeyRow,
    next: { masterKeyId: string; wrappedKey: string },
  ): Promise<void> {
    await db
      .update(customerKeys)
      .set({ ...next, rewrappedAt: new Date() })
      .where(
        and(
          eq(customerKeys.tenantId, row.tenantId),
          eq(customerKeys.customerId, row.customerId),
          eq(customerKeys.masterKeyId, row.masterKeyId),
        ),
      );
  }

  /** Keys per master key id, for rotation progress. */
  async countByMaster(db: Executor, tenantId?: string): Promise<Map<string, number>> {
    const rows = await db
      .select({ id: customerKeys.masterKeyId, n: sql<number>`count(*)::int` })
      .from(customerKeys)
      .where(tenantId === undefined ? undefined : eq(customerKeys.tenantId, tenantId))
      .groupBy(customerKeys.masterKeyId);
    return new Map(rows.map((r) => [r.id, r.n]));
  }
}
