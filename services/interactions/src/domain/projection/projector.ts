import {
  bookingxCustomerId,
  makeEvent,
  newId,
  type EventPayload,
  type TypedEvent,
} from '@crm/contracts';
import type { CustomerAliases, Executor, Outbox, Tx } from '@crm/service-kit';
import type { BookingsRepository, NewInteraction } from '../../db/bookings.repository.js';
import type { EngagementRepository } from '../../db/engagement.repository.js';
import type { SettingsRepository } from '../../db/settings.repository.js';
import type { TimelineRepository } from '../../db/timeline.repository.js';
import {
  bookingEntry,
  customerEntry,
  mergeEntry,
  messageEntry,
  noteEntry,
  paymentEntry,
  purchaseEntry,
  segmentEntry,
  stageEntry,
  taskEntry,
  workflowEntry,
} from '../timeline/entries.js';

type BookingType =
  | 'bookingx.booking.created.v1'
  | 'bookingx.booking.rescheduled.v1'
  | 'bookingx.booking.completed.v1'
  | 'bookingx.booking.cancelled.v1'
  | 'bookingx.booking.no_show.v1';
type PaymentType = 'bookingx.payment.captured.v1' | 'bookingx.payment.refunded.v1';
type CustomerType = 'crm.customer.created.v1' | 'crm.customer.updated.v1';
type MessageType =
  | 'crm.message.sent.v1'
  | 'crm.message.received.v1'
  | 'crm.message.opened.v1'
  | 'crm.message.clicked.v1';

export interface ProjectorDeps {
  bookings: BookingsRepository;
  timeline: TimelineRepository;
  aliases: CustomerAliases;
  engagement: EngagementRepository;
  settings: SettingsRepository;
  outbox: Outbox;
}

/**
 * Turns facts from BookingX and from every CRM service into the interaction log, the
 * booking state, engagement signals and the timeline, inside the consumer's transaction.
 * Every write is keyed by its source event or compares versions, so redelivery and
 * reordering change nothing; ids of merged customers resolve to their survivor.
 */
export class Projector {
  constructor(private readonly d: ProjectorDeps) {}

  private customerOf(tx: Executor, tenantId: string, id: string): Promise<string> {
    return this.d.aliases.lockAndResolve(tx, tenantId, id);
  }

  async booking(tx: Tx, event: TypedEvent<BookingType>): Promise<void> {
    if (!(await this.d.settings.effectiveWithin(tx, event.tenantid)).trackBookings) return;
    const b = event.data.booking;
    const customerId = await this.customerOf(
      tx,
      event.tenantid,
      bookingxCustomerId(event.tenantid, b.customer.bookingx_id),
    );
    await this.d.bookings.applyRevision(tx, event.tenantid, customerId, b);
    const fresh = await this.record(tx, event.tenantid, {
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
    if (fresh) {
      const at = new Date(event.time);
      if (event.type === 'bookingx.booking.created.v1') {
        await this.d.engagement.bump(tx, event.tenantid, customerId, 'bookings', at);
      } else if (event.type === 'bookingx.booking.completed.v1') {
        await this.d.engagement.bump(tx, event.tenantid, customerId, 'completedBookings', at);
      } else if (event.type === 'bookingx.booking.no_show.v1') {
        await this.d.engagement.bump(tx, event.tenantid, customerId, 'noShows', at);
      }
    }
    await this.d.timeline.add(tx, event.tenantid, event.id, bookingEntry(customerId, event));
  }

  async payment(tx: Tx, event: TypedEvent<PaymentType>): Promise<void> {
    if (!(await this.d.settings.effectiveWithin(tx, event.tenantid)).trackBookings) return;
    const p = event.data.payment;
    const customerId = await this.customerOf(
      tx,
      event.tenantid,
      bookingxCustomerId(event.tenantid, p.customer.bookingx_id),
    );
    const refunded = event.type === 'bookingx.payment.refunded.v1';
    await this.record(tx, event.tenantid, {
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
    await this.d.timeline.add(tx, event.tenantid, event.id, paymentEntry(customerId, event));
  }

  async purchase(tx: Tx, event: TypedEvent<'bookingx.purchase.completed.v1'>) {
    if (!(await this.d.settings.effectiveWithin(tx, event.tenantid)).trackBookings) return;
    const p = event.data.purchase;
    const customerId = await this.customerOf(
      tx,
      event.tenantid,
      bookingxCustomerId(event.tenantid, p.customer.bookingx_id),
    );
    await this.record(tx, event.tenantid, {
      tenantId: event.tenantid,
      id: newId(),
      customerId,
      interactionType: 'purchase',
      interactionSource: 'bookingx',
      subject: p.items
        .map((i) => i.name)
        .join(', ')
        .slice(0, 500),
      bookingId: null,
      staffId: null,
      direction: 'inbound',
      outcome: 'completed',
      durationMinutes: null,
      amountMinor: p.total.amount_minor,
      currency: p.total.currency,
      metadata: { purchase_id: p.bookingx_id, items: p.items.length },
      interactionDate: new Date(p.occurred_at),
      sourceEventId: event.id,
    });
    await this.d.timeline.add(tx, event.tenantid, event.id, purchaseEntry(customerId, event));
  }

  async customer(tx: Executor, event: TypedEvent<CustomerType>): Promise<void> {
    await this.d.timeline.add(tx, event.tenantid, event.id, customerEntry(event));
  }

  async stageChanged(tx: Executor, event: TypedEvent<'crm.customer.stage_changed.v1'>) {
    const entry = stageEntry(event);
    entry.customerId = await this.customerOf(tx, event.tenantid, entry.customerId);
    await this.d.timeline.add(tx, event.tenantid, event.id, entry);
  }

  /** The kit's merge handler has moved the rows to the survivor before this runs. */
  async merged(tx: Executor, event: TypedEvent<'crm.customer.merged.v1'>) {
    await this.d.timeline.add(tx, event.tenantid, event.id, mergeEntry(event));
  }

  async note(tx: Executor, event: TypedEvent<'crm.note.created.v1' | 'crm.note.updated.v1'>) {
    const customerId = await this.customerOf(tx, event.tenantid, event.data.note.customer_id);
    await this.d.timeline.upsertObjectEntry(
      tx,
      event.tenantid,
      event.id,
      noteEntry(customerId, event),
      event.data.note.version,
    );
  }

  async noteDeleted(tx: Executor, event: TypedEvent<'crm.note.deleted.v1'>) {
    await this.d.timeline.removeObjectEntries(tx, event.tenantid, 'note', event.data.note.id);
  }

  async task(tx: Executor, event: TypedEvent<'crm.task.created.v1' | 'crm.task.completed.v1'>) {
    const customerId = await this.customerOf(tx, event.tenantid, event.data.task.customer_id);
    await this.d.timeline.add(tx, event.tenantid, event.id, taskEntry(customerId, event));
  }

  async message(tx: Tx, event: TypedEvent<MessageType>): Promise<void> {
    const m = event.data.message;
    const settings = await this.d.settings.effectiveWithin(tx, event.tenantid);
    const tracked =
      (m.channel === 'email' && settings.trackEmails) ||
      (m.channel === 'sms' && settings.trackSms) ||
      (m.channel === 'call' && settings.trackCalls) ||
      m.channel === 'chat';
    if (!tracked) return;
    const customerId = await this.customerOf(tx, event.tenantid, m.customer_id);
    const at = new Date(event.time);
    const engagementEvent =
      event.type === 'crm.message.opened.v1' || event.type === 'crm.message.clicked.v1';
    const fresh = await this.record(tx, event.tenantid, {
      tenantId: event.tenantid,
      id: newId(),
      customerId,
      interactionType: engagementEvent ? 'email_engagement' : m.channel,
      interactionSource: 'comms',
      subject: m.subject,
      bookingId: null,
      staffId: m.actor.type === 'staff' ? m.actor.id : null,
      direction: m.direction,
      outcome: event.type.split('.')[2] ?? null,
      durationMinutes: null,
      amountMinor: null,
      currency: null,
      metadata: {
        message_id: m.id,
        conversation_id: m.conversation_id,
        ...(event.data.link_url ? { link_url: event.data.link_url } : {}),
      },
      interactionDate: at,
      sourceEventId: event.id,
    });
    if (fresh) {
      if (event.type === 'crm.message.opened.v1') {
        await this.d.engagement.bump(tx, event.tenantid, customerId, 'emailOpens', at);
      } else if (event.type === 'crm.message.clicked.v1') {
        await this.d.engagement.bump(tx, event.tenantid, customerId, 'emailClicks', at);
      } else if (event.type === 'crm.message.received.v1') {
        await this.d.engagement.bump(tx, event.tenantid, customerId, 'replies', at);
      }
    }
    await this.d.timeline.add(tx, event.tenantid, event.id, messageEntry(customerId, event));
  }

  async segment(
    tx: Executor,
    event: TypedEvent<'crm.segment.member_added.v1' | 'crm.segment.member_removed.v1'>,
  ) {
    const customerId = await this.customerOf(tx, event.tenantid, event.data.customer_id);
    await this.d.timeline.add(tx, event.tenantid, event.id, segmentEntry(customerId, event));
  }

  async workflow(tx: Executor, event: TypedEvent<'crm.workflow.action_executed.v1'>) {
    const customerId = await this.customerOf(tx, event.tenantid, event.data.customer_id);
    await this.d.timeline.add(tx, event.tenantid, event.id, workflowEntry(customerId, event));
  }

  /** Stores the interaction once per source event and announces it. */
  async record(tx: Executor, tenantId: string, row: NewInteraction): Promise<boolean> {
    const fresh = await this.d.bookings.recordInteraction(tx, row);
    if (!fresh) return false;
    await publishRecorded(this.d.outbox, tx, tenantId, row);
    return true;
  }
}

export async function publishRecorded(
  outbox: Outbox,
  tx: Executor,
  tenantId: string,
  row: Omit<NewInteraction, 'sourceEventId' | 'metadata'>,
): Promise<void> {
  const data: EventPayload<'crm.interaction.recorded.v1'> = {
    interaction: {
      id: row.id,
      customer_id: row.customerId,
      interaction_type:
        row.interactionType as EventPayload<'crm.interaction.recorded.v1'>['interaction']['interaction_type'],
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
  await outbox.append(tx, {
    event: makeEvent({
      type: 'crm.interaction.recorded.v1',
      source: 'crm/interactions',
      tenantId,
      subject: row.customerId,
      data,
    }),
  });
}
