import type { Tx } from '@crm/service-kit';
import type { InteractionsDeps } from '../../deps.js';
import { recordOf, type BookingxFact } from './bookingx-facts.js';
import { recordInteractions, trackedCustomersOf } from './shared.js';

/**
 * BookingX facts (bookings, payments, purchases) as one set: the bookings' newest revisions,
 * an interaction per event (announced, and counted towards engagement, the first time only)
 * and a timeline entry per event — one statement per table whatever the number of events,
 * with the same result as projecting them one by one in order.
 */
export async function projectBookingxFacts(
  deps: InteractionsDeps,
  tx: Tx,
  events: BookingxFact[],
): Promise<void> {
  const tracked = await trackedCustomersOf(deps, tx, events);
  if (tracked.length === 0) return;
  const records = tracked.map(({ event, customerId }) => ({
    event,
    ...recordOf(event, customerId),
  }));
  const { bookings, engagement, timeline } = deps.repositories;
  await bookings.applyRevisions(
    tx,
    records.flatMap(({ event, interaction, booking }) =>
      booking ? [{ tenantId: event.tenantid, customerId: interaction.customerId, booking }] : [],
    ),
  );
  const fresh = new Set(
    (
      await recordInteractions(
        deps,
        tx,
        records.map((r) => r.interaction),
      )
    ).map((i) => i.id),
  );
  await engagement.bumpAll(
    tx,
    records.flatMap(({ interaction: i, signal }) =>
      signal && fresh.has(i.id)
        ? [{ tenantId: i.tenantId, customerId: i.customerId, signal, at: i.interactionDate }]
        : [],
    ),
  );
  await timeline.addAll(
    tx,
    records.map(({ event, entry }) => ({
      tenantId: event.tenantid,
      sourceEventId: event.id,
      entry,
    })),
  );
}
