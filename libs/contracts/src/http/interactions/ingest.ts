import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { EnvelopeBase } from '../../events/envelope.js';

/**
 * BookingX sites without a broker post their events to `POST /crm/ingest/bookingx`:
 * a batch of CloudEvents, signed with the tenant's ingest secret over timestamp and body.
 */
export const INGEST_TENANT_HEADER = 'x-bookingx-tenant';
export const INGEST_TIMESTAMP_HEADER = 'x-bookingx-timestamp';
export const INGEST_SIGNATURE_HEADER = 'x-bookingx-signature';
export const INGEST_MAX_BATCH = 500;
export const INGEST_MAX_SKEW_SECONDS = 300;

export const IngestBatch = z
  .object({
    events: z.array(EnvelopeBase).min(1).max(INGEST_MAX_BATCH),
  })
  .strict()
  .meta({ id: 'IngestBatch' });
export type IngestBatch = z.infer<typeof IngestBatch>;

export const IngestResult = z
  .object({
    accepted: z.number().int().nonnegative().describe('Events new to the CRM'),
    duplicates: z.number().int().nonnegative().describe('Events already received before'),
  })
  .meta({ id: 'IngestResult' });
export type IngestResult = z.infer<typeof IngestResult>;

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, as Stripe-style webhooks do. */
export function signIngest(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `v1=${mac}`;
}

export function verifyIngestSignature(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
  header: string,
): boolean {
  const expected = Buffer.from(signIngest(secret, timestamp, rawBody));
  return header
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
