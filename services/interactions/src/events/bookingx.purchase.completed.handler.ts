import { newId, type TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { recordInteraction, trackedCustomerOf } from '../domain/projection/shared.js';
import { purchaseEntry } from '../domain/timeline/entries.js';

export async function purchaseCompleted(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'bookingx.purchase.completed.v1'>,
): Promise<void> {
  const customerId = await trackedCustomerOf(deps, tx, event);
  if (customerId === null) return;
  const p = event.data.purchase;
  await recordInteraction(deps, tx, {
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
  await deps.repositories.timeline.add(
    tx,
    event.tenantid,
    event.id,
    purchaseEntry(customerId, event),
  );
}
