import { randomUUID } from 'node:crypto';
import {
  bookingxCustomerId,
  type CloudEvent,
  type IngestResult,
  type Page,
  type Problem,
  type TimelineEntry,
} from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, nextBxId, tokenFor, useService, waitFor } from '@crm/testing';
import { interactionsService } from '../src/service.js';
import { booked } from './fixtures.js';
import { ingestCredentials, postSigned } from './ingest-client.js';

const svc = useService(interactionsService);

const credentials = (tenant: string) => ingestCredentials(svc.url, tenant);

function post(tenant: string, secret: string, body: unknown, at = Math.floor(Date.now() / 1000)) {
  return postSigned(svc.url, { tenant, secret, raw: JSON.stringify(body), at });
}

function bookings(tenant: string, customerBx: string, n: number): CloudEvent[] {
  return Array.from({ length: n }, (_, i) =>
    booked(tenant, customerBx, new Date(Date.UTC(2026, 9, 1 + i))),
  );
}

describe('BookingX over signed HTTP', () => {
  it('accepts a signed batch once, publishes it to the bus, and ignores a replay', async () => {
    const tenant = randomUUID();
    const { ingest_secret: secret } = await credentials(tenant);
    const customerBx = nextBxId();
    const events = bookings(tenant, customerBx, 3);
    const first = await post(tenant, secret, { events });
    expect(first.status).toBe(202);
    expect((await first.json()) as IngestResult).toEqual({ accepted: 3, duplicates: 0 });

    // Published through the outbox onto bookingx.events, consumed like any BookingX event.
    const customerId = bookingxCustomerId(tenant, customerBx);
    const admin = await tokenFor(tenant, 'admin');
    await waitFor(
      async () => {
        const r = await api(svc.url)
          .as(admin)
          .get<Page<TimelineEntry>>(`/crm/customers/${customerId}/timeline`);
        return r.status === 200 && r.body.data.length === 3;
      },
      { what: 'the ingested bookings on the timeline' },
    );

    const replay = await post(tenant, secret, { events });
    expect(replay.status).toBe(202);
    expect((await replay.json()) as IngestResult).toEqual({ accepted: 0, duplicates: 3 });
    const mixed = await post(tenant, secret, {
      events: [...events.slice(0, 1), ...bookings(tenant, customerBx, 1)],
    });
    expect((await mixed.json()) as IngestResult).toEqual({ accepted: 1, duplicates: 1 });
  });

  it('refuses a wrong signature, an old timestamp, an unknown tenant and a rotated secret', async () => {
    const tenant = randomUUID();
    const { ingest_secret: secret } = await credentials(tenant);
    const events = bookings(tenant, nextBxId(), 1);
    const wrong = await post(tenant, 'whsec_not-the-secret', { events });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Problem).code).toBe('unauthenticated');
    const old = await post(tenant, secret, { events }, Math.floor(Date.now() / 1000) - 301);
    expect(old.status).toBe(401);
    const future = await post(tenant, secret, { events }, Math.floor(Date.now() / 1000) + 301);
    expect(future.status).toBe(401);
    expect((await post(randomUUID(), secret, { events })).status).toBe(401);

    const raw = JSON.stringify({ events });
    const at = Math.floor(Date.now() / 1000);
    const tampered = await postSigned(svc.url, {
      tenant,
      secret,
      at,
      signed: raw,
      raw: raw.replace('Haircut', 'Haircat'),
    });
    expect(tampered.status).toBe(401);

    await credentials(tenant);
    expect((await post(tenant, secret, { events })).status).toBe(401);
  });

  it('refuses a batch whole when one event is invalid, another tenant’s, or the batch too big', async () => {
    const tenant = randomUUID();
    const { ingest_secret: secret } = await credentials(tenant);
    const good = bookings(tenant, nextBxId(), 2);
    const foreign = bookings(randomUUID(), nextBxId(), 1);
    const mismatch = await post(tenant, secret, { events: [...good, ...foreign] });
    expect(mismatch.status).toBe(422);
    expect(((await mismatch.json()) as Problem).errors?.[0]?.field).toBe('events.2.tenantid');

    const broken = structuredClone(good[0]) as CloudEvent & {
      data: { booking: { price: unknown } };
    };
    broken.data.booking.price = { amount_minor: 'lots', currency: 'EUR' };
    const invalid = await post(tenant, secret, { events: [good[1], broken] });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as Problem).errors?.[0]?.field).toMatch(
      /^events\.1\.data\.booking\.price/,
    );

    const tooMany = await post(tenant, secret, { events: bookings(tenant, nextBxId(), 501) });
    expect(tooMany.status).toBe(422);
    const notCrm = await post(tenant, secret, {
      events: [{ ...good[0], type: 'crm.customer.created.v1' }],
    });
    expect(notCrm.status).toBe(422);

    // Nothing of the refused batches was taken: the good events are still new.
    const after = await post(tenant, secret, { events: good });
    expect((await after.json()) as IngestResult).toEqual({ accepted: 2, duplicates: 0 });
  });
});
