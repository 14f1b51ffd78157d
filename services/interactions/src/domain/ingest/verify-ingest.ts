import { INGEST_MAX_SKEW_SECONDS, verifyIngestSignature } from '@crm/contracts';
import { AppError } from '@crm/service-kit';
import type { InteractionsDeps } from '../../deps.js';

export interface SignedRequest {
  tenantId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Proves a BookingX caller: the tenant's secret signed these exact bytes (HMAC), recently
 * (within the timestamp window). Returns the tenant.
 */
export async function verifyIngest(deps: InteractionsDeps, req: SignedRequest): Promise<string> {
  const refuse = (detail: string) => new AppError('unauthenticated', detail);
  if (!req.tenantId || !UUID.test(req.tenantId)) throw refuse('X-BookingX-Tenant is missing');
  if (!req.timestamp || !/^\d{1,12}$/.test(req.timestamp)) {
    throw refuse('X-BookingX-Timestamp is missing');
  }
  if (!req.signature) throw refuse('X-BookingX-Signature is missing');
  if (!req.rawBody) throw new AppError('unsupported_media_type', 'Send the batch as JSON');
  const timestamp = Number(req.timestamp);
  const skew = Math.abs(deps.clock().getTime() / 1000 - timestamp);
  if (skew > INGEST_MAX_SKEW_SECONDS) {
    throw refuse('The timestamp is more than five minutes off; check the clock and re-sign');
  }
  const settings = await deps.repositories.settings.find(deps.db, req.tenantId);
  if (!settings?.ingestSecret) throw refuse('No ingest secret is set for this tenant');
  if (!verifyIngestSignature(settings.ingestSecret, timestamp, req.rawBody, req.signature)) {
    throw refuse('The signature does not match');
  }
  return req.tenantId;
}
