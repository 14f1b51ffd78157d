import type { Engagement } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import { and, eq, sql } from 'drizzle-orm';
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
