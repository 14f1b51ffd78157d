import { randomUUID } from 'node:crypto';
import type { Interaction, Page, Problem, TimelineEntry, TrackingSettings } from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBus } from '../../../test/support/bus.js';
import { startProfilesAndInteractions } from '../../../test/support/cluster.js';
import { call, tokenFor, waitFor } from '../../../test/support/services.js';
import type { InteractionsConfig } from '../src/config.js';
import type { InteractionsDeps } from '../src/service.js';
import { assignmentEvent } from './events.js';

let svc: RunningService<InteractionsConfig, InteractionsDeps>;
let stopServices: () => Promise<void>;
let bus: TestBus;

beforeAll(async () => {
  // Interactions asks profiles about customers its replica has not heard of.
  const started = await startProfilesAndInteractions();
  svc = started.interactions;
  stopServices = started.stop;
  bus = await TestBus.open();
});

afterAll(async () => {
  await bus.close();
  await stopServices();
});

/** A tenant with one customer assigned to `staff-anna`, known to the access replica. */
async function setUp() {
  const tenant = randomUUID();
  const customerId = randomUUID();
  await bus.publish([assignmentEvent(tenant, customerId, 'staff-anna')]);
  const admin = await tokenFor(tenant, 'admin', { sub: 'admin-1' });
  await waitFor(async () => {
    const r = await call(svc.url, 'GET', `/crm/customers/${customerId}/interactions`, {
      token: admin,
    });
    return r.status === 200;
  });
  return {
    tenant,
    customerId,
    admin,
    anna: await tokenFor(tenant, 'staff', { sub: 'staff-anna' }),
    ben: await tokenFor(tenant, 'staff', { sub: 'staff-ben' }),
    path: `/crm/customers/${customerId}/interactions`,
  };
}

describe('staff log interactions', () => {
  it('logs, lists with filters, edits with If-Match, deletes, and audits every change', async () => {
    const { tenant, customerId, admin, anna, path } = await setUp();
    const walkIn = await call<Interaction>(svc.url, 'POST', path, {
      token: anna,
      body: {
        interaction_type: 'walk_in',
        subject: 'Asked about gift vouchers',
        outcome: 'bought voucher',
        duration_minutes: 10,
        interaction_date: '2026-11-20T15:00:00Z',
      },
    });
    expect(walkIn.status).toBe(201);
    expect(walkIn.body).toMatchObject({
      interaction_type: 'walk_in',
      interaction_source: 'crm',
      staff_id: 'staff-anna',
      created_by: 'staff-anna',
      version: 1,
    });
    expect(walkIn.headers.get('location')).toBe(`${path}/${walkIn.body.id}`);
    const ticket = await call<Interaction>(svc.url, 'POST', path, {
      token: admin,
      body: {
        interaction_type: 'support_ticket',
        subject: 'Double charge',
        staff_id: 'staff-cleo',
        interaction_date: '2026-11-22T10:00:00Z',
      },
    });
    expect(ticket.status).toBe(201);

    const all = await call<Page<Interaction>>(svc.url, 'GET', path, { token: anna });
    expect(all.body.data.map((i) => i.id)).toEqual([ticket.body.id, walkIn.body.id]);
    const byType = await call<Page<Interaction>>(svc.url, 'GET', `${path}?type=walk_in`, {
      token: anna,
    });
    expect(byType.body.data.map((i) => i.id)).toEqual([walkIn.body.id]);
    const byStaff = await call<Page<Interaction>>(svc.url, 'GET', `${path}?staff_id=staff-cleo`, {
      token: anna,
    });
    expect(byStaff.body.data.map((i) => i.id)).toEqual([ticket.body.id]);
    const byDate = await call<Page<Interaction>>(
      svc.url,
      'GET',
      `${path}?from=${encodeURIComponent('2026-11-21T00:00:00Z')}`,
      { token: anna },
    );
    expect(byDate.body.data.map((i) => i.id)).toEqual([ticket.body.id]);
    const paged = await call<Page<Interaction>>(svc.url, 'GET', `${path}?limit=1`, { token: anna });
    expect(paged.body.next_cursor).not.toBeNull();

    const item = `${path}/${walkIn.body.id}`;
    const edited = await call<Interaction>(svc.url, 'PATCH', item, {
      token: anna,
      body: { outcome: 'bought two vouchers' },
      headers: { 'if-match': '"1"' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ outcome: 'bought two vouchers', version: 2 });
    const stale = await call<Problem>(svc.url, 'PATCH', item, {
      token: anna,
      body: { outcome: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);

    const timeline = await call<Page<TimelineEntry>>(
      svc.url,
      'GET',
      `/crm/customers/${customerId}/timeline?kind=interaction`,
      { token: anna },
    );
    expect(timeline.body.data.map((e) => e.summary)).toContain(
      'Walk in: Asked about gift vouchers — bought two vouchers',
    );

    expect((await call(svc.url, 'DELETE', item, { token: anna })).status).toBe(204);
    expect((await call(svc.url, 'GET', item, { token: anna })).status).toBe(404);
    const after = await call<Page<TimelineEntry>>(
      svc.url,
      'GET',
      `/crm/customers/${customerId}/timeline?kind=interaction`,
      { token: anna },
    );
    expect(after.body.data.map((e) => e.source.object_id)).toEqual([ticket.body.id]);

    const { rows } = await svc.kit.database.pool.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM interactions.interaction_audit
        WHERE tenant_id = $1 AND interaction_id = $2 ORDER BY at, action`,
      [tenant, walkIn.body.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['created', 'updated', 'deleted']);
    expect(new Set(rows.map((r) => r.actor_id))).toEqual(new Set(['staff-anna']));
  });

  it('lets only the author or an admin edit, never a BookingX fact, and hides other customers', async () => {
    const { admin, anna, ben, path, tenant } = await setUp();
    const call1 = await call<Interaction>(svc.url, 'POST', path, {
      token: anna,
      body: { interaction_type: 'chat', subject: 'Parking question' },
    });
    const item = `${path}/${call1.body.id}`;
    // Ben is not assigned to this customer: he may not even know it exists.
    expect(
      (await call(svc.url, 'PATCH', item, { token: ben, body: { subject: 'x' } })).status,
    ).toBe(404);
    await bus.publish([
      assignmentEvent(tenant, path.split('/')[3] ?? '', 'staff-anna', 2, ['staff-ben']),
    ]);
    await waitFor(async () => (await call(svc.url, 'GET', path, { token: ben })).status === 200);
    const notAuthor = await call<Problem>(svc.url, 'PATCH', item, {
      token: ben,
      body: { subject: 'x' },
    });
    expect(notAuthor.status).toBe(403);
    expect(
      (await call(svc.url, 'PATCH', item, { token: admin, body: { subject: 'Parking' } })).status,
    ).toBe(200);

    const customer = await tokenFor(tenant, 'customer', { sub: path.split('/')[3] ?? '' });
    expect((await call(svc.url, 'GET', path, { token: customer })).status).toBe(403);
    const stranger = await tokenFor(randomUUID(), 'admin');
    expect((await call(svc.url, 'GET', path, { token: stranger })).status).toBe(404);
    expect((await call(svc.url, 'GET', item, { token: stranger })).status).toBe(404);
    expect((await call(svc.url, 'GET', path)).status).toBe(401);
  });

  it('honours the tracking settings and refuses bad input', async () => {
    const { admin, anna, path } = await setUp();
    const refused = await call<Problem>(svc.url, 'POST', path, {
      token: anna,
      body: { interaction_type: 'call', duration_minutes: 5 },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('track_calls');

    expect(
      (
        await call(svc.url, 'PATCH', '/crm/interactions/settings', {
          token: anna,
          body: { track_calls: true },
        })
      ).status,
    ).toBe(403);
    const settings = await call<TrackingSettings>(svc.url, 'PATCH', '/crm/interactions/settings', {
      token: admin,
      body: { track_calls: true },
    });
    expect(settings.body).toMatchObject({
      track_calls: true,
      track_bookings: true,
      track_website_visits: false,
    });
    const logged = await call(svc.url, 'POST', path, {
      token: anna,
      body: { interaction_type: 'call', duration_minutes: 5, direction: 'outbound' },
    });
    expect(logged.status).toBe(201);

    for (const body of [
      { interaction_type: 'call', mood: 'happy' },
      { interaction_type: 'booking' },
      { interaction_type: 'call', duration_minutes: 5000 },
      { interaction_type: 'call', interaction_date: 'yesterday' },
      { subject: 'no type' },
    ]) {
      const bad = await call<Problem>(svc.url, 'POST', path, { token: anna, body });
      expect(bad.status, JSON.stringify(body)).toBe(422);
      expect(bad.body.errors?.length).toBeGreaterThan(0);
    }
    const list = await call<Page<Interaction>>(svc.url, 'GET', path, { token: anna });
    expect(list.body.data).toHaveLength(1);
  });
});
