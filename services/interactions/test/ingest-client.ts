import { signIngest, type IngestCredentials } from '@crm/contracts';
import { expect } from 'vitest';
import { api, tokenFor } from '@crm/testing';

/** Issues `tenant`'s ingest secret through the API of the service at `baseUrl`, as its admin. */
export async function ingestCredentials(
  baseUrl: string,
  tenant: string,
): Promise<IngestCredentials> {
  const r = await api(baseUrl)
    .as(await tokenFor(tenant, 'admin'))
    .post<IngestCredentials>('/crm/interactions/settings/ingest-secret');
  expect(r.status).toBe(201);
  return r.body;
}

export interface SignedIngest {
  tenant: string;
  secret: string;
  /** The request body as sent. */
  raw: string;
  /** The Unix time (seconds) of the timestamp header and the signature. */
  at: number;
  /** What the signature covers: `raw` unless a test tampers with the body after signing. */
  signed?: string;
}

/** POSTs a BookingX batch to the ingest endpoint of the service at `baseUrl`, signed as BookingX signs it. */
export function postSigned(
  baseUrl: string,
  { tenant, secret, raw, at, signed = raw }: SignedIngest,
): Promise<Response> {
  return fetch(`${baseUrl}/crm/ingest/bookingx`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-bookingx-tenant': tenant,
      'x-bookingx-timestamp': String(at),
      'x-bookingx-signature': signIngest(secret, at, signed),
    },
    body: raw,
  });
}
