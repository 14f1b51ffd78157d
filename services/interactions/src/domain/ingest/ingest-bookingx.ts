import {
  BOOKINGX_EVENTS,
  INGEST_MAX_SKEW_SECONDS,
  type IngestBatch,
  verifyIngestSignature,
  type CloudEvent,
  type IngestResult,
} from '@crm/contracts';
import { AppError, fieldErrorsOf, type Db, type Outbox, transaction } from '@crm/service-kit';
import { ingestedEvents } from '../../db/schema.js';
import type { SettingsRepository } from '../../db/settings.repository.js';

export interface SignedRequest {
  tenantId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * BookingX events over HTTP: verified (tenant secret, timestamp window, HMAC over the exact
 * bytes), validated whole, deduplicated by event id, and put on the bus through the outbox
 * — the same path as events BookingX publishes itself.
 */
export class BookingxIngest {
  constructor(
    private readonly db: Db,
    private readonly settings: SettingsRepository,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Proves the caller: the tenant's secret signed these exact bytes, recently. Returns the tenant. */
  async verify(req: SignedRequest): Promise<string> {
    const refuse = (detail: string) => new AppError('unauthenticated', detail);
    if (!req.tenantId || !UUID.test(req.tenantId)) throw refuse('X-BookingX-Tenant is missing');
    if (!req.timestamp || !/^\d{1,12}$/.test(req.timestamp)) {
      throw refuse('X-BookingX-Timestamp is missing');
    }
    if (!req.signature) throw refuse('X-BookingX-Signature is missing');
    if (!req.rawBody) throw new AppError('unsupported_media_type', 'Send the batch as JSON');
    const timestamp = Number(req.timestamp);
    const skew = Math.abs(this.now().getTime() / 1000 - timestamp);
    if (skew > INGEST_MAX_SKEW_SECONDS) {
      throw refuse('The timestamp is more than five minutes off; check the clock and re-sign');
    }
    const settings = await this.settings.find(this.db, req.tenantId);
    if (!settings?.ingestSecret) throw refuse('No ingest secret is set for this tenant');
    if (!verifyIngestSignature(settings.ingestSecret, timestamp, req.rawBody, req.signature)) {
      throw refuse('The signature does not match');
    }
    return req.tenantId;
  }

  /** Validates a verified batch whole, and puts each event not seen before on the bus. */
  async accept(tenantId: string, batch: IngestBatch): Promise<IngestResult> {
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

    return transaction(this.db, async ({ db: tx }) => {
      const fresh = await tx
        .insert(ingestedEvents)
        .values(ids.map((eventId) => ({ tenantId, eventId })))
        .onConflictDoNothing()
        .returning({ eventId: ingestedEvents.eventId });
      const accepted = new Set(fresh.map((r) => r.eventId));
      await this.outbox.append(
        tx,
        events.filter((e) => accepted.has(e.id)).map((event) => ({ event })),
      );
      return { accepted: accepted.size, duplicates: events.length - accepted.size };
    });
  }
}
