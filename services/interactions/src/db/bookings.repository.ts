import type { BookingxBooking } from '@crm/contracts';
import { unnestRows, type Executor } from '@crm/service-kit';
import { sql } from 'drizzle-orm';
import { bookings, interactions } from './schema.js';

export interface NewInteraction {
  tenantId: string;
  id: string;
  customerId: string;
  interactionType: string;
  interactionSource: string;
  subject: string | null;
  bookingId: string | null;
  staffId: string | null;
  direction: 'inbound' | 'outbound' | 'internal' | null;
  outcome: string | null;
  durationMinutes: number | null;
  amountMinor: number | null;
  currency: string | null;
  metadata: Record<string, unknown>;
  interactionDate: Date;
  sourceEventId: string | null;
  createdBy?: string | null;
}

/** A booking as one BookingX event states it, for the customer it belongs to now. */
export interface BookingRevision {
  tenantId: string;
  customerId: string;
  booking: BookingxBooking;
}

export class BookingsRepository {
  /**
   * The bookings' current states, in one statement; a revision older than the stored one
   * changes nothing. Of several revisions of one booking the newest counts (the first of
   * equals), as one by one: `ON CONFLICT DO UPDATE` cannot touch a row twice.
   */
  async applyRevisions(db: Executor, revisions: BookingRevision[]): Promise<void> {
    const newest = new Map<string, BookingRevision>();
    for (const r of revisions) {
      const key = `${r.tenantId}:${r.booking.bookingx_id}`;
      const kept = newest.get(key);
      if (!kept || kept.booking.revision < r.booking.revision) newest.set(key, r);
    }
    if (newest.size === 0) return;
    const updatedAt = new Date();
    const rows = [...newest.values()].map(({ tenantId, customerId, booking: b }) => ({
      tenantId,
      bookingxId: b.bookingx_id,
      customerId,
      status: b.status,
      revision: b.revision,
      serviceName: b.service.name,
      staffName: b.staff.name,
      startAt: new Date(b.start_at),
      endAt: new Date(b.end_at),
      amountMinor: b.price.amount_minor,
      currency: b.price.currency,
      updatedAt,
    }));
    const revised = REVISED_COLUMNS.map((c) => sql.identifier(bookings[c].name));
    await db.execute(sql`
      INSERT INTO ${bookings} ${unnestRows(bookings, rows)}
      ON CONFLICT (tenant_id, bookingx_id) DO UPDATE
         SET ${sql.join(
           revised.map((c) => sql`${c} = excluded.${c}`),
           sql`, `,
         )}
       WHERE ${bookings.revision} < excluded.revision`);
  }

  /** Stores each interaction once per source event; returns those not recorded before. */
  async recordInteractions(db: Executor, rows: NewInteraction[]): Promise<NewInteraction[]> {
    if (rows.length === 0) return [];
    const inserted = await db.execute<{ id: string }>(sql`
      INSERT INTO ${interactions} ${unnestRows(interactions, rows)}
      ON CONFLICT DO NOTHING
      RETURNING id`);
    const fresh = new Set(inserted.rows.map((r) => r.id));
    return rows.filter((r) => fresh.has(r.id));
  }
}

/** What a newer revision of a booking replaces. */
const REVISED_COLUMNS = [
  'customerId',
  'status',
  'revision',
  'serviceName',
  'staffName',
  'startAt',
  'endAt',
  'amountMinor',
  'currency',
  'updatedAt',
] as const;
