import {
  BOOKINGX_EVENTS,
  type CloudEvent,
  type IngestBatch,
  type IngestResult,
} from '@crm/contracts';
import { AppError, fieldErrorsOf, transaction } from '@crm/service-kit';
import { ingestedEvents } from '../../db/schema.js';
import type { InteractionsDeps } from '../../deps.js';

/**
 * BookingX events over HTTP, from a verified tenant (`verifyIngest`): validated whole,
 * deduplicated by event id, and put on the bus through the outbox — the same path as events
 * BookingX publishes itself.
 */
export async function acceptIngest(
  deps: InteractionsDeps,
  tenantId: string,
  batch: IngestBatch,
): Promise<IngestResult> {
  const events = batch.events as CloudEvent[];
  const errors = events.flatMap((event, i) => {
    if (event.tenantid !== tenantId) {
      return [
        {
          field: `events.${i}.tenantid`,
          code: 'tenant_mismatch',
          message: 'Not the signing tenant',
        },
      ];
    }
    if (!Object.hasOwn(BOOKINGX_EVENTS, event.type)) {
      return [
        {
          field: `events.${i}.type`,
          code: 'unknown_type',
          message: `Not a BookingX event: ${event.type}`,
        },
      ];
    }
    const schema = BOOKINGX_EVENTS[event.type as keyof typeof BOOKINGX_EVENTS];
    const parsed = schema.safeParse(event.data);
    return parsed.success ? [] : fieldErrorsOf(parsed.error, `events.${i}.data`);
  });
  const ids = events.map((e) => e.id);
  if (new Set(ids).size !== ids.length) {
    errors.push({ field: 'events', code: 'duplicate_id', message: 'An event id appears twice' });
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'The batch was refused whole', errors);
  }

  return transaction(deps.db, async ({ db: tx }) => {
    const fresh = await tx
      .insert(ingestedEvents)
      .values(ids.map((eventId) => ({ tenantId, eventId })))
      .onConflictDoNothing()
      .returning({ eventId: ingestedEvents.eventId });
    const accepted = new Set(fresh.map((r) => r.eventId));
    await deps.outbox.append(
      tx,
      events.filter((e) => accepted.has(e.id)).map((event) => ({ event })),
    );
    return { accepted: accepted.size, duplicates: events.length - accepted.size };
  });
}
