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

const SIGNALS = Object.keys(COLUMN) as Signal[];

/** One signal of a customer, at the moment it happened. */
export interface Bump {
  tenantId: string;
  customerId: string;
  signal: Signal;
  at: Date;
}

export class EngagementRepository {
  /** Counts one signal; callers run it once per source event (the inbox sees to that). */
  async bump(db: Executor, tenantId: string, customerId: string, signal: Signal, at: Date) {
    await this.bumpAll(db, [{ tenantId, customerId, signal, at }]);
  }

  /** Counts many signals in one statement, one row per customer however many they are. */
  async bumpAll(db: Executor, bumps: Bump[]): Promise<void> {
    if (bumps.length === 0) return;
    const counts = sql.join(
      SIGNALS.map((s) => sql`count(*) FILTER (WHERE signal = ${s})::int`),
      sql`, `,
    );
    const columns = sql.raw(SIGNALS.map((s) => COLUMN[s]).join(', '));
    const added = sql.raw(
      SIGNALS.map((s) => `${COLUMN[s]} = e.${COLUMN[s]} + excluded.${COLUMN[s]}`).join(', '),
    );
    await db.execute(sql`
      INSERT INTO ${engagement} AS e (tenant_id, customer_id, ${columns}, last_engaged_at, updated_at)
      SELECT tenant_id, customer_id, ${counts},
        -- A no-show is a signal, but not engagement.
        max(happened_at) FILTER (WHERE signal <> ${'noShows' satisfies Signal}), now()
      FROM unnest(${sql.param(bumps.map((b) => b.tenantId))}::uuid[],
                  ${sql.param(bumps.map((b) => b.customerId))}::uuid[],
                  ${sql.param(bumps.map((b) => b.signal))}::text[],
                  ${sql.param(bumps.map((b) => b.at.toISOString()))}::timestamptz[])
           AS s(tenant_id, customer_id, signal, happened_at)
      GROUP BY tenant_id, customer_id
      ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
        ${added},
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
