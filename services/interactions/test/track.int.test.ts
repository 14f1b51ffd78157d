import { randomUUID } from 'node:crypto';
import {
  bookingxCustomerId,
  type Engagement,
  type IngestCredentials,
  type Page,
  type Problem,
  type TimelineEntry,
} from '@crm/contracts';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, tokenFor, useBus, useService, waitFor } from '@crm/testing';
import { interactionsService } from '../src/service.js';
import { assigned } from './fixtures.js';

const svc = useService(interactionsService, {
  env: {
    TRACK_RATE_LIMIT_PER_MINUTE: '8',
  },
});
const bus = useBus();

function identity(secret: string, bookingxId: string, consent: boolean): Promise<string> {
  return new SignJWT({ consent })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(bookingxId)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
}

describe('page views from the booking site', () => {
  it('ties a view to a customer only with a valid identity and consent', async () => {
    const tenant = randomUUID();
    const admin = await tokenFor(tenant, 'admin');
    const creds = (
      await api(svc.url)
        .as(admin)
        .post<IngestCredentials>('/crm/interactions/settings/ingest-secret')
    ).body;
    const view = (extra: Record<string, unknown>) =>
      api(svc.url).post<{ recorded: string } & Problem>('/crm/track', {
        key: creds.tracking_key,
        visitor_id: 'visitor-0001',
        url: 'https://salon.example.com/services/cut',
        title: 'Haircut',
        ...extra,
      });

    const off = await view({});
    expect(off.status).toBe(403);
    await api(svc.url)
      .as(admin)
      .patch('/crm/interactions/settings', { track_website_visits: true });

    expect((await view({})).body.recorded).toBe('anonymous');
    const bookingxId = '4711';
    const customerId = bookingxCustomerId(tenant, bookingxId);
    expect(
      (await view({ identity: await identity(creds.ingest_secret, bookingxId, false) })).body
        .recorded,
    ).toBe('anonymous');
    expect(
      (await view({ identity: await identity('whsec_forged-secret-xxxxxxxx', bookingxId, true) }))
        .body.recorded,
    ).toBe('anonymous');
    expect(
      (await view({ identity: await identity(creds.ingest_secret, bookingxId, true) })).body
        .recorded,
    ).toBe('customer');

    await bus.publish([assigned(tenant, customerId, 'staff-anna')]);
    const timeline = await waitFor(async () => {
      const r = await api(svc.url)
        .as(admin)
        .get<Page<TimelineEntry>>(`/crm/customers/${customerId}/timeline?kind=visit`);
      return r.status === 200 && r.body.data.length > 0 && r.body;
    });
    expect(timeline.data).toHaveLength(1);
    expect(timeline.data[0]).toMatchObject({
      kind: 'visit',
      summary: 'Visited Haircut',
      icon: 'globe',
    });
    const engagement = await api(svc.url)
      .as(admin)
      .get<Engagement>(`/crm/customers/${customerId}/engagement`);
    expect(engagement.body).toMatchObject({ website_visits: 1 });
    const { rows } = await svc.kit.database.pool.query<{ n: number; identified: number }>(
      `SELECT count(*)::int AS n, count(customer_id)::int AS identified FROM interactions.page_views WHERE tenant_id = $1`,
      [tenant],
    );
    expect(rows[0]).toEqual({ n: 4, identified: 1 });
  });

  it('refuses unknown keys and bad bodies, and rate-limits a flood', async () => {
    const unknown = await api(svc.url).post<Problem>('/crm/track', {
      key: 'tk_unknown-key-000',
      visitor_id: 'visitor-0001',
      url: 'https://x.example.com/',
    });
    expect(unknown.status).toBe(401);
    const bad = await api(svc.url).post<Problem>('/crm/track', {
      key: 'tk_unknown-key-000',
      visitor_id: '!',
      url: 'javascript:alert(1)',
    });
    expect(bad.status).toBe(422);
    let limited = 0;
    for (let i = 0; i < 12; i += 1) {
      const r = await api(svc.url).post('/crm/track', {
        key: 'tk_flood-key-0000',
        visitor_id: 'visitor-0002',
        url: 'https://x.example.com/',
      });
      if (r.status === 429) limited += 1;
    }
    expect(limited).toBeGreaterThan(0);
  });
});
