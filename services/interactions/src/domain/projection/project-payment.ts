import { newId, type TypedEvent } from '@crm/contracts';
import type { Tx } from '@crm/service-kit';
import type { InteractionsDeps } from '../../deps.js';
import { paymentEntry } from '../timeline/entries.js';
import { recordInteraction, trackedCustomerOf } from './shared.js';

export type PaymentEvent = TypedEvent<
  'bookingx.payment.captured.v1' | 'bookingx.payment.refunded.v1'
>;

/** A payment or refund: an interaction once per event (a refund's amount negative), and its entry. */
export async function projectPayment(
  deps: InteractionsDeps,
  tx: Tx,
  event: PaymentEvent,
): Promise<void> {
  const customerId = await trackedCustomerOf(deps, tx, event);
  if (customerId === null) return;
  const p = event.data.payment;
  const refunded = event.type === 'bookingx.payment.refunded.v1';
  await recordInteraction(deps, tx, {
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
  await deps.repositories.timeline.add(
    tx,
    event.tenantid,
    event.id,
    paymentEntry(customerId, event),
  );
}
