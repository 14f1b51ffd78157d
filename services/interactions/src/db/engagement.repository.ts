import type { Engagement } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { engagement } from './schema.js';

export type Signal =
  | 'emailOpens'
  | 'emailClicks'
  | 'replies'
  | 'websiteVisits'
  | 'bookings'
  | 'completedBookings'
  | 'noShows';

const COLUMN: Record<Signal, string> = {
  emailOpens: 'email_opens',
  emailClicks: 'email_clicks',
  replies: 'replies',
  websiteVisits: 'website_visits',
  bookings: 'bookings',
  completedBookings: 'completed_bookings',
  noShows: 'no_shows',
};

export class EngagementRepository {
  /** Counts one signal; callers run it once per source event (the inbox sees to that). */
  async bump(db: Executor, tenantId: string, customerId: string, signal: Signal, at: Date) {
    const column = sql.raw(COLUMN[signal]);
    // A no-show is a signal, but not engagement.
    const engaged = signal === 'noShows' ? null : at;
    await db.execute(sql`
      INSERT INTO ${engagement} AS e (tenant_id, customer_id, ${column}, last_engaged_at, updated_at)
      VALUES (${tenantId}, ${customerId}, 1, ${engaged}, now())
      ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
        ${column} = e.${column} + 1,
        last_engaged_at = greatest(e.last_engaged_at, excluded.last_engaged_at),
        updated_at = now()`);
  }

  /** Merged customers' counters add up on the survivor's row. */
  async fold(db: Executor, tenantId: string, survivorId: string, merged: string[]): Promise<void> {
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
  }

  async get(db: Executor, tenantId: string, customerId: string): Promise<Engagement> {
    const [row] = await db
      .select()
      .from(engagement)
      .where(and(eq(engagement.tenantId, tenantId), eq(engagement.customerId, customerId)));
    return {
      customer_id: customerId,
      email_opens: row?.emailOpens ?? 0,
      email_clicks: row?.emailClicks ?? 0,
      replies: row?.replies ?? 0,
      website_visits: row?.websiteVisits ?? 0,
      bookings: row?.bookings ?? 0,
      completed_bookings: row?.completedBookings ?? 0,
      no_shows: row?.noShows ?? 0,
      last_engaged_at: row?.lastEngagedAt ? row.lastEngagedAt.toISOString() : null,
      updated_at: row ? row.updatedAt.toISOString() : null,
    };
  }
}
