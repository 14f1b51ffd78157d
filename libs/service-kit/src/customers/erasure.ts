import { and, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../db.js';
import type { KitTables } from '../tables.js';
import { lockCustomers, lockCustomersOf, type CustomerAliases, type CustomerRef } from './merge.js';
import type { CustomerTable } from './declaration.js';
import type { CustomerTables } from './tables.js';

export const ERASED = '[erased]';

/**
 * The copies of a customer's data the kit keeps in any service's schema: published events
 * about them (subject = their id) kept until the relay purges them, dead letters about them,
 * and stored answers of idempotent requests that name them. Events not yet published stay:
 * they are on their way and leave the outbox once sent.
 */
export async function eraseKitCopies(
  db: Executor,
  tables: KitTables,
  tenantId: string,
  customerIds: string[],
): Promise<void> {
  if (customerIds.length === 0) return;
  const { outbox, deadLetters, idempotencyKeys } = tables;
  await db
    .delete(outbox)
    .where(
      and(
        eq(outbox.tenantId, tenantId),
        isNotNull(outbox.sentAt),
        inArray(sql`${outbox.envelope}->>'subject'`, customerIds),
      ),
    );
  await db
    .delete(deadLetters)
    .where(
      and(
        eq(deadLetters.tenantId, tenantId),
        inArray(sql`${deadLetters.payload}->>'subject'`, customerIds),
      ),
    );
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.tenantId, tenantId),
        or(...customerIds.map((id) => sql`strpos(${idempotencyKeys.body}, ${id}) > 0`)),
      ),
    );
}

/** The value an anonymised column keeps: NULL where it may, else a marker of the right type. */
function blank(column: PgColumn): SQL {
  if (!column.notNull) return sql`NULL`;
  if (column.dataType === 'json') return sql`'{}'`;
  if (column.dataType === 'array') return sql`'{}'`;
  return sql`${ERASED}`;
}

/**
 * Erasure of one customer in a service (crm.customer.erased.v1): its declared tables, the
 * kit's copies and the replica, for the customer and every id merged into it; then a row in
 * `erasures` says this service is done. Runs in the consumer's transaction.
 */
export class CustomerErasure {
  constructor(
    private readonly kit: KitTables,
    private readonly tables: CustomerTables,
    private readonly declared: CustomerTable[],
    private readonly aliases: CustomerAliases,
  ) {}

  async erase(db: Executor, tenantId: string, customerId: string): Promise<void> {
    await lockCustomers(db, tenantId, [customerId]);
    const ids = [customerId, ...(await this.aliases.mergedInto(db, tenantId, customerId))];
    // A fact about a merged id holds that id's lock while it writes under the survivor.
    await lockCustomers(db, tenantId, ids);
    for (const t of this.declared) {
      const rows = and(eq(t.tenantId, tenantId), inArray(t.customerId, ids));
      if (t.erase === 'delete') {
        await db.execute(sql`DELETE FROM ${t.table} WHERE ${rows}`);
      } else {
        const set = sql.join(
          t.erase.anonymise.map((c) => sql`${sql.identifier(c.name)} = ${blank(c)}`),
          sql`, `,
        );
        await db.execute(sql`UPDATE ${t.table} SET ${set} WHERE ${rows}`);
      }
    }
    await eraseKitCopies(db, this.kit, tenantId, ids);
    const r = this.tables.customerAccess;
    await db.delete(r).where(and(eq(r.tenantId, tenantId), inArray(r.customerId, ids)));
    await db
      .insert(this.tables.erasures)
      .values(ids.map((id) => ({ tenantId, customerId: id })))
      .onConflictDoNothing();
  }

  /**
   * Per customer, in the order of `refs` (of any tenants): whether facts about it must be
   * dropped, because it, or the customer it was merged into, is erased here. Takes their locks
   * in one sorted sweep first, so an erasure running now finishes before the one query.
   */
  async erasedAmong(db: Executor, refs: CustomerRef[]): Promise<boolean[]> {
    if (refs.length === 0) return [];
    await lockCustomersOf(db, refs);
    const e = this.tables.erasures;
    const a = this.tables.customerAliases;
    const { rows } = await db.execute<{ i: number }>(sql`
      SELECT k.i::int AS i
        FROM unnest(${sql.param(refs.map((r) => r.tenantId))}::uuid[],
                    ${sql.param(refs.map((r) => r.customerId))}::uuid[])
             WITH ORDINALITY AS k(tenant_id, customer_id, i)
       WHERE EXISTS (
         SELECT 1 FROM ${e}
          WHERE ${e.tenantId} = k.tenant_id
            AND ${e.customerId} IN (k.customer_id, (
              SELECT ${a.survivorId} FROM ${a}
               WHERE ${a.tenantId} = k.tenant_id AND ${a.mergedId} = k.customer_id)))`);
    const erased = new Set(rows.map((r) => r.i - 1));
    return refs.map((_, i) => erased.has(i));
  }

  /** When this service finished erasing the customer, or null if it has not (yet). */
  async erasedAt(db: Executor, tenantId: string, customerId: string): Promise<Date | null> {
    const e = this.tables.erasures;
    const [row] = await db
      .select({ at: e.erasedAt })
      .from(e)
      .where(and(eq(e.tenantId, tenantId), eq(e.customerId, customerId)));
    return row?.at ?? null;
  }
}
