import {
  bookingxCustomerId,
  makeEvent,
  newId,
  type EventPayload,
  type TypedEvent,
} from '@crm/contracts';
import type { Executor, Outbox } from '@crm/service-kit';
import type { BookingsRepository, NewInteraction } from '../../db/bookings.repository.js';
import type { TimelineRepository } from '../../db/timeline.repository.js';
import { bookingEntry, customerEntry, paymentEntry } from '../timeline/entries.js';

type BookingType =
  | 'bookingx.booking.created.v1'
  | 'bookingx.booking.rescheduled.v1'
  | 'bookingx.booking.completed.v1'
  | 'bookingx.booking.cancelled.v1'
  | 'bookingx.booking.no_show.v1';
type PaymentType = 'bookingx.payment.captured.v1' | 'bookingx.payment.refunded.v1';
type CustomerType = 'crm.customer.created.v1' | 'crm.customer.updated.v1';

/**
 * Turns facts into the interaction log, the booking state and the timeline, in the
 * consumer's transaction; every write is keyed by the source event, so a replay is harmless.
 */
export class InteractionRecorder {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly timeline: TimelineRepository,
    private readonly outbox: Outbox,
    private readonly settings: { trackBookings: boolean },
  ) {}

  async booking(tx: Executor, event: TypedEvent<BookingType>): Promise<void> {
    if (!this.settings.trackBookings) return;
    const b = event.data.booking;
    const customerId = bookingxCustomerId(event.tenantid, b.customer.bookingx_id);
    await this.bookings.applyRevision(tx, event.tenantid, customerId, b);
    await this.record(tx, event, {
      tenantId: event.tenantid,
      id: newId(),
      customerId,
      interactionType: 'booking',
      interactionSource: 'bookingx',
      subject: b.service.name,
      bookingId: b.bookingx_id,
      staffId: b.staff.id,
      direction: 'inbound',
      outcome: b.status,
      durationMinutes: b.service.duration_minutes,
      amountMinor: b.price.amount_minor,
      currency: b.price.currency,
      metadata: { event_type: event.type, revision: b.revision, start_at: b.start_at },
      interactionDate: new Date(event.time),
      sourceEventId: event.id,
    });
    await this.timeline.add(tx, event.tenantid, event.id, bookingEntry(customerId, event));
  }

  async payment(tx: Executor, event: TypedEvent<PaymentType>): Promise<void> {
    if (!this.settings.trackBookings) return;
    const p = event.data.payment;
    const customerId = bookingxCustomerId(event.tenantid, p.customer.bookingx_id);
    const refunded = event.type === 'bookingx.payment.refunded.v1';
    await this.record(tx, event, {
      tenantId: event.tenantid,
      id: newId(),
      customerId,
      interactionType: 'payment',
      interactionSource: 'bookingx',
      subject: refunded ? 'Refund' : 'Payment',
      bookingId: p.booking_id,
      staffId: null,
      direction: refunded ? 'outbound' : 'inbound',
      outcome: refunded ? 'refunded' : 'captured',
      durationMinutes: null,
      amountMinor: refunded ? -p.amount.amount_minor : p.amount.amount_minor,
      currency: p.amount.currency,
      metadata: { method: p.method, payment_id: p.bookingx_id },
      interactionDate: new Date(p.occurred_at),
      sourceEventId: event.id,
    });
    await this.timeline.add(tx, event.tenantid, event.id, paymentEntry(customerId, event));
  }

  async customer(tx: Executor, event: TypedEvent<CustomerType>): Promise<void> {
    const c = event.data.customer;
    await this.timeline.upsertAccess(tx, {
      tenantId: event.tenantid,
      customerId: c.id,
      ownerId: c.owner_id,
      teamId: c.team_id,
      version: c.version,
    });
    await this.timeline.add(tx, event.tenantid, event.id, customerEntry(event));
  }

  private async record(
    tx: Executor,
    event: TypedEvent<BookingType | PaymentType>,
    row: NewInteraction,
  ): Promise<void> {
    const fresh = await this.bookings.recordInteraction(tx, row);
    if (!fresh) return;
    const data: EventPayload<'crm.interaction.recorded.v1'> = {
      interaction: {
        id: row.id,
        customer_id: row.customerId,
        interaction_type: row.interactionType as 'booking' | 'payment',
        interaction_source: row.interactionSource,
        subject: row.subject,
        booking_id: row.bookingId,
        staff_id: row.staffId,
        direction: row.direction,
        amount:
          row.amountMinor !== null && row.currency !== null
            ? { amount_minor: row.amountMinor, currency: row.currency }
            : null,
        interaction_date: row.interactionDate.toISOString(),
      },
    };
    await this.outbox.append(tx, {
      event: makeEvent({
        type: 'crm.interaction.recorded.v1',
        source: 'crm/interactions',
        tenantId: event.tenantid,
        subject: row.customerId,
        data,
      }),
    });
  }
}
