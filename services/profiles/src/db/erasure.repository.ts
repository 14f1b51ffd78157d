import { eraseKitCopies, type Executor } from '@crm/service-kit';
import { and, eq, or, sql } from 'drizzle-orm';
import {
  collaborators,
  customFieldValues,
  customerImportKeys,
  customerPhones,
  customerPictures,
  customerTags,
  customers,
  deadLetters,
  inbox,
  erasedCustomers,
  externalRefs,
  householdMembers,
  households,
  idempotencyKeys,
  mergedCustomers,
  opportunities,
  outbox,
  relationships,
  searchDocuments,
} from './schema.js';

export interface Tombstone {
  customerId: string;
  erasedAt: Date;
  erasedBy: string | null;
}

export class ErasureRepository {
  /**
   * Serialises an erasure with anything that could fill the same id again (a BookingX fact in
   * flight): whoever comes second sees the first one's commit.
   */
  async lockId(db: Executor, tenantId: string, customerId: string): Promise<void> {
    await db.execute(
      sql`SELECT pg_advisory_xact_lock(hashtext(${`profiles:customer:${tenantId}:${customerId}`}))`,
    );
  }

  /** `lockId` for customers of any tenants, in one sorted sweep (no lock cycles). */
  async lockIds(db: Executor, keys: { tenantId: string; id: string }[]): Promise<void> {
    const names = [...new Set(keys.map((k) => `profiles:customer:${k.tenantId}:${k.id}`))].sort();
    if (names.length === 0) return;
    // unnest yields the names in the array's (sorted) order, each row taking its lock in turn.
    await db.execute(
      sql`SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest(${sql.param(names)}::text[]) AS k`,
    );
  }

  /**
   * Per customer of `keys` (of any tenants), in their order: whether it was erased (a
   * tombstone), and the survivor it was merged into, following chains of merges as
   * `MergeRepository.survivorOf` does — in one statement.
   */
  async fatesOf(
    db: Executor,
    keys: { tenantId: string; id: string }[],
  ): Promise<{ erased: boolean; survivorId: string | null }[]> {
    if (keys.length === 0) return [];
    const { rows } = await db.execute<{ i: number; erased: boolean; survivor_id: string | null }>(
      sql`
      WITH RECURSIVE k AS (
        SELECT * FROM unnest(${sql.param(keys.map((k) => k.tenantId))}::uuid[],
                             ${sql.param(keys.map((k) => k.id))}::uuid[])
               WITH ORDINALITY AS k(tenant_id, id, i)
      ), chain AS (
        SELECT k.i, k.tenant_id, k.id AS current, 0 AS hops FROM k
        UNION ALL
        SELECT chain.i, chain.tenant_id, m.survivor_id, chain.hops + 1
          FROM chain
          JOIN ${mergedCustomers} m
            ON m.tenant_id = chain.tenant_id AND m.merged_id = chain.current
         WHERE chain.hops < 10
      )
      SELECT k.i::int AS i,
             EXISTS (SELECT 1 FROM ${erasedCustomers} e
                      WHERE e.tenant_id = k.tenant_id AND e.customer_id = k.id) AS erased,
             (SELECT chain.current::text FROM chain
               WHERE chain.i = k.i AND chain.hops > 0
               ORDER BY chain.hops DESC LIMIT 1) AS survivor_id
        FROM k`,
    );
    const byIndex = new Map(rows.map((r) => [r.i - 1, r]));
    return keys.map((_, i) => ({
      erased: byIndex.get(i)?.erased ?? false,
      survivorId: byIndex.get(i)?.survivor_id ?? null,
    }));
  }

  async tombstone(db: Executor, tenantId: string, customerId: string): Promise<Tombstone | null> {
    const [row] = await db
      .select({
        customerId: erasedCustomers.customerId,
        erasedAt: erasedCustomers.erasedAt,
        erasedBy: erasedCustomers.erasedBy,
      })
      .from(erasedCustomers)
      .where(
        and(eq(erasedCustomers.tenantId, tenantId), eq(erasedCustomers.customerId, customerId)),
      );
    return row ?? null;
  }

  async bury(
    db: Executor,
    row: { tenantId: string; customerId: string; erasedAt: Date; erasedBy: string; reason: string },
  ): Promise<void> {
    await db.insert(erasedCustomers).values(row).onConflictDoNothing();
  }

  /** Customers merged into this one: the same person, erased with it. */
  async mergedInto(db: Executor, tenantId: string, survivorId: string): Promise<string[]> {
    const rows = await db
      .select({ id: mergedCustomers.mergedId })
      .from(mergedCustomers)
      .where(
        and(eq(mergedCustomers.tenantId, tenantId), eq(mergedCustomers.survivorId, survivorId)),
      );
    return rows.map((r) => r.id);
  }

  /** Deletes everything of the customer that this service keeps outside its append-only ledgers. */
  async deletePersonalData(db: Executor, tenantId: string, customerId: string): Promise<void> {
    for (const table of [
      customerTags,
      collaborators,
      customFieldValues,
      customerPhones,
      customerPictures,
      externalRefs,
      opportunities,
      searchDocuments,
    ] as const) {
      await db
        .delete(table)
        .where(and(eq(table.tenantId, tenantId), eq(table.customerId, customerId)));
    }
    await db
      .delete(relationships)
      .where(
        and(
          eq(relationships.tenantId, tenantId),
          or(eq(relationships.customerId, customerId), eq(relationships.relatedId, customerId)),
        ),
      );
    const left = await db
      .delete(householdMembers)
      .where(
        and(eq(householdMembers.tenantId, tenantId), eq(householdMembers.customerId, customerId)),
      )
      .returning({ householdId: householdMembers.householdId });
    // A household named after the family goes with its last member.
    for (const { householdId } of left) {
      await db.execute(sql`
        DELETE FROM ${households} h
         WHERE h.tenant_id = ${tenantId} AND h.id = ${householdId}
           AND NOT EXISTS (SELECT 1 FROM ${householdMembers} m
                            WHERE m.tenant_id = h.tenant_id AND m.household_id = h.id)`);
    }
    // The identity keys (email, phone) an import matched on.
    await db
      .delete(customerImportKeys)
      .where(
        and(
          eq(customerImportKeys.tenantId, tenantId),
          eq(customerImportKeys.customerId, customerId),
        ),
      );
    await db
      .delete(customers)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
  }

  /**
   * Copies of the profiles in this service's own stores, for the customer and those merged
   * into it: published events waiting for their purge, dead letters, and stored answers of
   * idempotent requests.
   */
  async deleteKitCopies(db: Executor, tenantId: string, customerIds: string[]): Promise<void> {
    await eraseKitCopies(
      db,
      { outbox, inbox, deadLetters, idempotencyKeys },
      tenantId,
      customerIds,
    );
  }
}
