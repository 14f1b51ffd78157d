import { randomUUID } from 'node:crypto';
import type { Interaction, Page, Problem, TimelineEntry, TrackingSettings } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildEvent, tokenFor, useBus, useService, waitFor } from '@crm/testing';
import { profilesService } from '../../profiles/src/service.js';
import { interactionsService } from '../src/service.js';
import { assigned } from './fixtures.js';

// Interactions asks profiles about customers its replica has not heard of.
const profiles = useService(profilesService);
const svc = useService(interactionsService, { env: () => ({ PROFILES_URL: profiles.url }) });
const bus = useBus();

/** A tenant with one customer assigned to `staff-anna`, known to the access replica. */
async function setUp() {
  const tenant = randomUUID();
  const customerId = randomUUID();
  await bus.publish([assigned(tenant, customerId, 'staff-anna')]);
  const admin = await tokenFor(tenant, 'admin', { sub: 'admin-1' });
  await waitFor(async () => {
    const r = await api(svc.url).as(admin).get(`/crm/customers/${customerId}/interactions`);
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
    const walkIn = await api(svc.url).as(anna).post<Interaction>(path, {
      interaction_type: 'walk_in',
      subject: 'Asked about gift vouchers',
      outcome: 'bought voucher',
      duration_minutes: 10,
      interaction_date: '2026-11-20T15:00:00Z',
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
    const ticket = await api(svc.url).as(admin).post<Interaction>(path, {
      interaction_type: 'support_ticket',
      subject: 'Double charge',
      staff_id: 'staff-cleo',
      interaction_date: '2026-11-22T10:00:00Z',
    });
    expect(ticket.status).toBe(201);

    const all = await api(svc.url).as(anna).get<Page<Interaction>>(path);
    expect(all.body.data.map((i) => i.id)).toEqual([ticket.body.id, walkIn.body.id]);
    const byType = await api(svc.url).as(anna).get<Page<Interaction>>(`${path}?type=walk_in`);
    expect(byType.body.data.map((i) => i.id)).toEqual([walkIn.body.id]);
    const byStaff = await api(svc.url)
      .as(anna)
      .get<Page<Interaction>>(`${path}?staff_id=staff-cleo`);
    expect(byStaff.body.data.map((i) => i.id)).toEqual([ticket.body.id]);
    const byDate = await api(svc.url)
      .as(anna)
      .get<Page<Interaction>>(`${path}?from=${encodeURIComponent('2026-11-21T00:00:00Z')}`);
    expect(byDate.body.data.map((i) => i.id)).toEqual([ticket.body.id]);
    const paged = await api(svc.url).as(anna).get<Page<Interaction>>(`${path}?limit=1`);
    expect(paged.body.next_cursor).not.toBeNull();

    const item = `${path}/${walkIn.body.id}`;
    const edited = await api(svc.url)
      .as(anna)
      .patch<Interaction>(
        item,
        { outcome: 'bought two vouchers' },
        { headers: { 'if-match': '"1"' } },
      );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ outcome: 'bought two vouchers', version: 2 });
    const stale = await api(svc.url)
      .as(anna)
      .patch<Problem>(item, { outcome: 'x' }, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);

    const timeline = await api(svc.url)
      .as(anna)
      .get<Page<TimelineEntry>>(`/crm/customers/${customerId}/timeline?kind=interaction`);
    expect(timeline.body.data.map((e) => e.summary)).toContain(
      'Walk in: Asked about gift vouchers — bought two vouchers',
    );

    expect((await api(svc.url).as(anna).delete(item)).status).toBe(204);
    expect((await api(svc.url).as(anna).get(item)).status).toBe(404);
    const after = await api(svc.url)
      .as(anna)
      .get<Page<TimelineEntry>>(`/crm/customers/${customerId}/timeline?kind=interaction`);
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
    const call1 = await api(svc.url)
      .as(anna)
      .post<Interaction>(path, { interaction_type: 'chat', subject: 'Parking question' });
    const item = `${path}/${call1.body.id}`;
    // Ben is not assigned to this customer: he may not even know it exists.
    expect((await api(svc.url).as(ben).patch(item, { subject: 'x' })).status).toBe(404);
    await bus.publish([
      buildEvent('crm.customer.assignment.changed.v1', {
        tenantId: tenant,
        sequence: 2,
        data: {
          customer_id: path.split('/')[3] ?? '',
          owner_id: 'staff-anna',
          version: 2,
          collaborator_ids: ['staff-ben'],
        },
      }),
    ]);
    await waitFor(async () => (await api(svc.url).as(ben).get(path)).status === 200);
    const notAuthor = await api(svc.url).as(ben).patch<Problem>(item, { subject: 'x' });
    expect(notAuthor.status).toBe(403);
    expect((await api(svc.url).as(admin).patch(item, { subject: 'Parking' })).status).toBe(200);

    const customer = await tokenFor(tenant, 'customer', { sub: path.split('/')[3] ?? '' });
    expect((await api(svc.url).as(customer).get(path)).status).toBe(403);
    const stranger = await tokenFor(randomUUID(), 'admin');
    expect((await api(svc.url).as(stranger).get(path)).status).toBe(404);
    expect((await api(svc.url).as(stranger).get(item)).status).toBe(404);
    expect((await api(svc.url).get(path)).status).toBe(401);
  });

  it('honours the tracking settings and refuses bad input', async () => {
    const { admin, anna, path } = await setUp();
    const refused = await api(svc.url)
      .as(anna)
      .post<Problem>(path, { interaction_type: 'call', duration_minutes: 5 });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('track_calls');

    expect(
      (await api(svc.url).as(anna).patch('/crm/interactions/settings', { track_calls: true }))
        .status,
    ).toBe(403);
    const settings = await api(svc.url)
      .as(admin)
      .patch<TrackingSettings>('/crm/interactions/settings', { track_calls: true });
    expect(settings.body).toMatchObject({
      track_calls: true,
      track_bookings: true,
      track_website_visits: false,
    });
    const logged = await api(svc.url)
      .as(anna)
      .post(path, { interaction_type: 'call', duration_minutes: 5, direction: 'outbound' });
    expect(logged.status).toBe(201);

    for (const body of [
      { interaction_type: 'call', mood: 'happy' },
      { interaction_type: 'booking' },
      { interaction_type: 'call', duration_minutes: 5000 },
      { interaction_type: 'call', interaction_date: 'yesterday' },
      { subject: 'no type' },
    ]) {
      const bad = await api(svc.url).as(anna).post<Problem>(path, body);
      expect(bad.status, JSON.stringify(body)).toBe(422);
      expect(bad.body.errors?.length).toBeGreaterThan(0);
    }
    const list = await api(svc.url).as(anna).get<Page<Interaction>>(path);
    expect(list.body.data).toHaveLength(1);
  });
});
