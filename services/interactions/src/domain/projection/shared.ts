import { customerOfEvent, type EventType, type TypedEvent } from '@crm/contracts';
import type { Executor, Tx } from '@crm/service-kit';
import type { NewInteraction } from '../../db/bookings.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { publishRecorded } from '../interactions/shared.js';
import type { NewTimelineEntry } from '../timeline/entries.js';

/**
 * The customer an event is about, as it is now: a merged id resolves to its survivor, and the
 * alias is locked so a merge cannot move rows under the transaction.
 */
export function customerOf<T extends EventType>(
  deps: InteractionsDeps,
  tx: Executor,
  event: TypedEvent<T>,
): Promise<string> {
  return deps.customers.aliases.lockAndResolve(tx, event.tenantid, namedCustomer(event));
}

/**
 * `customerOf` for the BookingX facts of tenants that record bookings (`track_bookings`):
 * the others' facts are left out. The customers' locks are taken in one sorted sweep and their
 * ids resolved in one query.
 */
export async function trackedCustomersOf<E extends TypedEvent<EventType>>(
  deps: InteractionsDeps,
  tx: Tx,
  events: E[],
): Promise<{ event: E; customerId: string }[]> {
  const tracked: E[] = [];
  for (const event of events) {
    if (await bookingsTracked(deps, tx, event.tenantid)) tracked.push(event);
  }
  const resolved = await deps.customers.aliases.lockAndResolveAll(
    tx,
    tracked.map((event) => ({ tenantId: event.tenantid, customerId: namedCustomer(event) })),
  );
  return tracked.map((event, i) => ({ event, customerId: resolved[i] ?? namedCustomer(event) }));
}

function namedCustomer<T extends EventType>(event: TypedEvent<T>): string {
  const named = customerOfEvent(event);
  if (!named) throw new Error(`${event.type} names no customer`);
  return named;
}

/** An event that is only an entry on the timeline of the customer it names. */
export async function addEntry<T extends EventType>(
  deps: InteractionsDeps,
  tx: Executor,
  event: TypedEvent<T>,
  entry: (customerId: string, event: TypedEvent<T>) => NewTimelineEntry,
): Promise<void> {
  const customerId = await customerOf(deps, tx, event);
  await deps.repositories.timeline.add(tx, event.tenantid, event.id, entry(customerId, event));
}

/** Bookings, payments and purchases are recorded only with the tenant's `track_bookings`. */
async function bookingsTracked(deps: InteractionsDeps, tx: Tx, tenantId: string): Promise<boolean> {
  return (await deps.repositories.settings.effectiveWithin(tx, tenantId)).trackBookings;
}

/** Stores the interaction once per source event and announces it; false when seen before. */
export async function recordInteraction(
  deps: InteractionsDeps,
  tx: Executor,
  row: NewInteraction,
): Promise<boolean> {
  return (await recordInteractions(deps, tx, [row])).length > 0;
}

/**
 * Stores each interaction once per source event and announces the new ones, in one statement
 * each; returns those not recorded before.
 */
export async function recordInteractions(
  deps: InteractionsDeps,
  tx: Executor,
  rows: NewInteraction[],
): Promise<NewInteraction[]> {
  const fresh = await deps.repositories.bookings.recordInteractions(tx, rows);
  if (fresh.length > 0) await publishRecorded(deps.outbox, tx, fresh);
  return fresh;
}
