import type { Executor } from '@crm/service-kit';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  bookings,
  customerAccess,
  customerAliases,
  engagement,
  interactions,
  pageViews,
  timelineEntries,
} from './schema.js';

/** Merged customers: their rows move to the survivor, and later facts follow them there. */
export class AliasesRepository {
  /** The id facts about `customerId` belong to now (itself, unless it was merged away). */
  async resolve(db: Executor, tenantId: string, customerId: string): Promise<string> {
    const [row] = await db
      .select({ survivorId: customerAliases.survivorId })
      .from(customerAliases)
      .where(and(eq(customerAliases.tenantId, tenantId), eq(customerAliases.mergedId, customerId)));
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

  async merge(db: Executor, tenantId: string, survivorId: string, mergedIds: string[]) {
    const merged = mergedIds.filter((id) => id !== survivorId);
    if (merged.length === 0) return;
    await lockCustomers(db, tenantId, [survivorId, ...merged]);
    // A chain (A into B, then B into C) points A straight at C.
    await db
      .update(customerAliases)
      .set({ survivorId })
      .where(
        and(eq(customerAliases.tenantId, tenantId), inArray(customerAliases.survivorId, merged)),
      );
    await db
      .insert(customerAliases)
      .values(merged.map((mergedId) => ({ tenantId, mergedId, survivorId })))
      .onConflictDoUpdate({
        target: [customerAliases.tenantId, customerAliases.mergedId],
        set: { survivorId },
      });
    for (const table of [interactions, bookings, timelineEntries, pageViews] as const) {
      await db
        .update(table)
        .set({ customerId: survivorId })
        .where(and(eq(table.tenantId, tenantId), inArray(table.customerId, merged)));
    }
    await db.execute(sql`
      INSERT INTO ${engagement} AS e (tenant_id, customer_id, email_opens, email_clicks, replies,
        website_visits, bookings, completed_bookings, no_shows, last_engaged_at, updated_at)
      SELECT ${tenantId}, ${survivorId}, sum(email_opens), sum(email_clicks), sum(replies),
        sum(website_visits), sum(bookings), sum(completed_bookings), sum(no_shows),
        max(last_engaged_at), now()
      FROM ${engagement} WHERE tenant_id = ${tenantId} AND customer_id IN ${merged}
      HAVING count(*) > 0
      ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
        email_opens = e.email_opens + excluded.email_opens,
        email_clicks = e.email_clicks + excluded.email_clicks,
        replies = e.replies + excluded.replies,
        website_visits = e.website_visits + excluded.website_visits,
        bookings = e.bookings + excluded.bookings,
        completed_bookings = e.completed_bookings + excluded.completed_bookings,
        no_shows = e.no_shows + excluded.no_shows,
        last_engaged_at = greatest(e.last_engaged_at, excluded.last_engaged_at),
        updated_at = now()`);
    await db
      .delete(engagement)
      .where(and(eq(engagement.tenantId, tenantId), inArray(engagement.customerId, merged)));
    await db
      .delete(customerAccess)
      .where(
        and(eq(customerAccess.tenantId, tenantId), inArray(customerAccess.customerId, merged)),
      );
  }

  /** Right to erasure: everything this service holds about the customer goes. */
  async erase(db: Executor, tenantId: string, customerId: string): Promise<void> {
    await lockCustomers(db, tenantId, [customerId]);
    for (const table of [
      interactions,
      bookings,
      timelineEntries,
      pageViews,
      engagement,
      customerAccess,
    ] as const) {
      await db
        .delete(table)
        .where(and(eq(table.tenantId, tenantId), eq(table.customerId, customerId)));
    }
  }
}

/** Transaction-scoped locks, always taken in the same order so two merges cannot deadlock. */
async function lockCustomers(db: Executor, tenantId: string, ids: string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await db.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${tenantId}:${id}`}, 0))`,
    );
  }
}
