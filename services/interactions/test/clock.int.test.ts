import { randomUUID } from 'node:crypto';
import { bookingxCustomerId, type Page, type TimelineEntry } from '@crm/contracts';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, buildEvent, nextBxId, tokenFor, useService } from '@crm/testing';
import { interactionsService } from '../src/service.js';
import { ingestCredentials, postSigned } from './ingest-client.js';

/** Far from the real time, so only the injected clock can make these requests pass. */
const NOW = new Date('2031-03-04T05:06:07.000Z');

const svc = useService({
  ...interactionsService,
  build: (kit) => ({ ...interactionsService.build(kit), clock: () => NOW }),
});

const credentials = (tenant: string) => ingestCredentials(svc.url, tenant);

describe('the clock the service is given', () => {
  it('is what an ingest timestamp is measured against', async () => {
    const tenant = randomUUID();
    const { ingest_secret: secret } = await credentials(tenant);
    const raw = JSON.stringify({
      events: [
        buildEvent('bookingx.booking.created.v1', {
          tenantId: tenant,
          sequence: 0,
          data: { booking: { customer: { bookingx_id: nextBxId() }, revision: 0 } },
        }),
      ],
    });
    const post = (at: number) => postSigned(svc.url, { tenant, secret, raw, at });

    expect((await post(Math.floor(Date.now() / 1000))).status).toBe(401);
    expect((await post(Math.floor(NOW.getTime() / 1000) - 60)).status).toBe(202);
  });

  it('dates a page view sent without its own time', async () => {
    const tenant = randomUUID();
    const admin = await tokenFor(tenant, 'admin');
    const creds = await credentials(tenant);
    await api(svc.url)
      .as(admin)
      .patch('/crm/interactions/settings', { track_website_visits: true });
    const bookingxId = nextBxId();
    const identity = await new SignJWT({ consent: true })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(bookingxId)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(creds.ingest_secret));
    const view = await api(svc.url).post<{ recorded: string }>('/crm/track', {
      key: creds.tracking_key,
      visitor_id: 'visitor-0002',
      url: 'https://salon.example.com/',
      identity,
    });
    expect(view.body.recorded).toBe('customer');

    const customerId = bookingxCustomerId(tenant, bookingxId);
    const timeline = await api(svc.url)
      .as(admin)
      .get<Page<TimelineEntry>>(`/crm/customers/${customerId}/timeline?kind=visit`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.data.map((e) => e.occurred_at)).toEqual([NOW.toISOString()]);
  });
});
