import { randomUUID } from 'node:crypto';
import {
  bookingxCustomerId,
  type Engagement,
  type IngestCredentials,
  type Page,
  type Problem,
  type TimelineEntry,
} from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBus } from '../../../test/support/bus.js';
import { call, startTestService, tokenFor, waitFor } from '../../../test/support/services.js';
import type { InteractionsConfig } from '../src/config.js';
import { migrationsFolder } from '../src/db/migrations-folder.js';
import { interactionsService, type InteractionsDeps } from '../src/service.js';
import { assignmentEvent } from './events.js';

let svc: RunningService<InteractionsConfig, InteractionsDeps>;
let bus: TestBus;

beforeAll(async () => {
  svc = await startTestService(interactionsService, migrationsFolder, {
    TRACK_RATE_LIMIT_PER_MINUTE: '8',
  });
  bus = await TestBus.open();
});

afterAll(async () => {
  await bus.close();
  await svc.stop();
});

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
      await call<IngestCredentials>(svc.url, 'POST', '/crm/interactions/settings/ingest-secret', {
        token: admin,
      })
    ).body;
    const view = (extra: Record<string, unknown>) =>
      call<{ recorded: string } & Problem>(svc.url, 'POST', '/crm/track', {
        body: {
          key: creds.tracking_key,
          visitor_id: 'visitor-0001',
          url: 'https://salon.example.com/services/cut',
          title: 'Haircut',
          ...extra,
        },
      });

    const off = await view({});
    expect(off.status).toBe(403);
    await call(svc.url, 'PATCH', '/crm/interactions/settings', {
      token: admin,
      body: { track_website_visits: true },
    });

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

    await bus.publish([assignmentEvent(tenant, customerId, 'staff-anna')]);
    const timeline = await waitFor(async () => {
      const r = await call<Page<TimelineEntry>>(
        svc.url,
        'GET',
        `/crm/customers/${customerId}/timeline?kind=visit`,
        { token: admin },
      );
      return r.status === 200 && r.body.data.length > 0 && r.body;
    });
    expect(timeline.data).toHaveLength(1);
    expect(timeline.data[0]).toMatchObject({
      kind: 'visit',
      summary: 'Visited Haircut',
      icon: 'globe',
    });
    const engagement = await call<Engagement>(
      svc.url,
      'GET',
      `/crm/customers/${customerId}/engagement`,
      { token: admin },
    );
    expect(engagement.body).toMatchObject({ website_visits: 1 });
    const { rows } = await svc.kit.database.pool.query<{ n: number; identified: number }>(
      `SELECT count(*)::int AS n, count(customer_id)::int AS identified FROM interactions.page_views WHERE tenant_id = $1`,
      [tenant],
    );
    expect(rows[0]).toEqual({ n: 4, identified: 1 });
  });

  it('refuses unknown keys and bad bodies, and rate-limits a flood', async () => {
    const unknown = await call<Problem>(svc.url, 'POST', '/crm/track', {
      body: {
        key: 'tk_unknown-key-000',
        visitor_id: 'visitor-0001',
        url: 'https://x.example.com/',
      },
    });
    expect(unknown.status).toBe(401);
    const bad = await call<Problem>(svc.url, 'POST', '/crm/track', {
      body: { key: 'tk_unknown-key-000', visitor_id: '!', url: 'javascript:alert(1)' },
    });
    expect(bad.status).toBe(422);
    let limited = 0;
    for (let i = 0; i < 12; i += 1) {
      const r = await call(svc.url, 'POST', '/crm/track', {
        body: {
          key: 'tk_flood-key-0000',
          visitor_id: 'visitor-0002',
          url: 'https://x.example.com/',
        },
      });
      if (r.status === 429) limited += 1;
    }
    expect(limited).toBeGreaterThan(0);
  });
});
