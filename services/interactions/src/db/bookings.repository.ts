import type { BookingxBooking } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
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

export class BookingsRepository {
  /** The booking's current state; a revision older than the stored one changes nothing. */
  async applyRevision(db: Executor, tenantId: string, customerId: string, b: BookingxBooking) {
    const values = {
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
      updatedAt: new Date(),
    };
    await db
      .insert(bookings)
      .values(values)
      .onConflictDoUpdate({
        target: [bookings.tenantId, bookings.bookingxId],
        set: values,
        setWhere: sql`${bookings.revision} < ${b.revision}`,
      });
  }

  /** Returns false when this source event was already recorded. */
  async recordInteraction(db: Executor, row: NewInteraction): Promise<boolean> {
    const inserted = await db
      .insert(interactions)
      .values(row)
      .onConflictDoNothing()
      .returning({ id: interactions.id });
    return inserted.length > 0;
  }
}
