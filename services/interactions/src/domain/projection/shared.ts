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
  const named = customerOfEvent(event);
  if (!named) throw new Error(`${event.type} names no customer`);
  return deps.customers.aliases.lockAndResolve(tx, event.tenantid, named);
}

/** `customerOf` a BookingX fact, or null when the tenant does not record bookings. */
export async function trackedCustomerOf<T extends EventType>(
  deps: InteractionsDeps,
  tx: Tx,
  event: TypedEvent<T>,
): Promise<string | null> {
  if (!(await bookingsTracked(deps, tx, event.tenantid))) return null;
  return customerOf(deps, tx, event);
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
  const fresh = await deps.repositories.bookings.recordInteraction(tx, row);
  if (!fresh) return false;
  await publishRecorded(deps.outbox, tx, row.tenantId, row);
  return true;
}
