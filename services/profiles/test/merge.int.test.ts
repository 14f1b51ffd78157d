import {
  bookingxCustomerId,
  type AuditEntry,
  type CloudEvent,
  type ConsentState,
  type Customer,
  type DuplicateList,
  type Page,
  type Problem,
  type SearchPage,
} from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildEvent, newTenant, tokenFor, waitFor } from '@crm/testing';
import { useProfiles } from './fixtures.js';

const { svc, bus, create, defineField } = useProfiles();

describe('duplicates', () => {
  it('suggests customers with the same email, the same phone or a similar name, with a score', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const person = (first_name: string, last_name: string, email: string, phone: string | null) =>
      create(admin, { first_name, last_name, email, phone });
    const a = await person('Ada', 'Lovelace', 'ada@example.com', '+44 20 7946 0001');
    const sameEmail = await person('A.', 'King', 'ADA@example.com', null);
    const samePhone = await person('Augusta', 'Byron', 'augusta@example.com', '+442079460001');
    const similar = await person('Ada', 'Lovelase', 'other@example.com', null);
    await person('Grace', 'Hopper', 'grace@example.com', null);
    await waitFor(
      async () => {
        const r = await api(svc.url)
          .as(admin)
          .get<DuplicateList>(`/crm/customers/${a.id}/duplicates`);
        if (r.body.data.length < 3) {
          throw new Error(JSON.stringify([r.status, r.body]));
        }
        return true;
      },
      { what: 'name index' },
    );
    const r = await api(svc.url).as(admin).get<DuplicateList>(`/crm/customers/${a.id}/duplicates`);
    expect(r.status).toBe(200);
    expect(r.body.data.map((s) => [s.customer.id, s.score, s.reasons])).toEqual([
      [sameEmail.id, 1, ['email']],
      [samePhone.id, 0.9, ['phone']],
      [similar.id, expect.any(Number), ['name']],
    ]);
    const nameScore = r.body.data[2]?.score ?? 0;
    expect(nameScore).toBeGreaterThan(0.2);
    expect(nameScore).toBeLessThanOrEqual(0.6);

    const staff = await tokenFor(tenant, 'staff', { sub: 'nobody' });
    expect((await api(svc.url).as(staff).get(`/crm/customers/${a.id}/duplicates`)).status).toBe(
      403,
    );
    const stranger = await tokenFor(newTenant(), 'admin');
    expect((await api(svc.url).as(stranger).get(`/crm/customers/${a.id}/duplicates`)).status).toBe(
      404,
    );
  });
});

describe('merge', () => {
  it('merges into the survivor with per-field choice, moves what hangs off the others, and resolves merged ids', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await api(svc.url).as(admin).post('/crm/tags', { name: 'Gold' });
    await api(svc.url).as(admin).post('/crm/tags', { name: 'Newsletter' });
    await defineField(admin, { field_name: 'shoe_size', field_type: 'number' });
    const survivor = await create(admin, {
      first_name: 'A',
      last_name: 'Lovelace',
      company_name: null,
      owner_id: 'staff-1',
      collaborator_ids: ['staff-2'],
    });
    const other = await create(admin, {
      first_name: 'Ada',
      last_name: 'Lovelace',
      company_name: 'Engines Ltd',
      vip_status: true,
      collaborator_ids: ['staff-3'],
      custom_fields: { shoe_size: 38 },
    });
    await api(svc.url)
      .as(admin)
      .post(`/crm/customers/${survivor.id}/tags`, { add: ['Gold'] });
    await api(svc.url)
      .as(admin)
      .post(`/crm/customers/${other.id}/tags`, { add: ['Newsletter'] });
    await api(svc.url).as(admin).post(`/crm/customers/${other.id}/consent`, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'paper_form',
    });
    const bx = buildEvent('bookingx.customer.created.v1', {
      tenantId: tenant,
      data: { customer: { first_name: 'Ada', last_name: 'L.' } },
    });
    const bxId = (bx.data as { customer: { bookingx_id: string } }).customer.bookingx_id;
    const fromBookingx = bookingxCustomerId(tenant, bxId);
    await bus.publish([bx]);
    await waitFor(
      async () =>
        (await api(svc.url).as(admin).get(`/crm/customers/${fromBookingx}`)).status === 200,
    );
    const current = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${survivor.id}`);

    const listener = await bus.listen('crm.events', 'crm.customer.#');
    const merged = await api(svc.url)
      .as(admin)
      .post<Customer>(
        `/crm/customers/${survivor.id}/merge`,
        { merge_ids: [other.id, fromBookingx], field_choices: { first_name: other.id } },
        { headers: { 'if-match': `"${current.body.version}"` } },
      );
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({
      id: survivor.id,
      first_name: 'Ada',
      last_name: 'Lovelace',
      company_name: 'Engines Ltd',
      vip_status: true,
      tags: ['Gold', 'Newsletter'],
      collaborator_ids: ['staff-2', 'staff-3'],
      custom_fields: { shoe_size: 38 },
      external_refs: [{ system: 'bookingx', external_id: bxId }],
    });

    for (const id of [other.id, fromBookingx]) {
      const resolved = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
      expect(resolved.status).toBe(200);
      expect(resolved.body.id).toBe(survivor.id);
    }
    const list = await api(svc.url).as(admin).get<Page<Customer>>('/crm/customers');
    expect(list.body.data.map((c) => c.id)).toEqual([survivor.id]);
    const consent = await api(svc.url)
      .as(admin)
      .get<ConsentState>(`/crm/customers/${survivor.id}/consent`);
    expect(
      consent.body.consents.find((c) => c.channel === 'email' && c.purpose === 'marketing'),
    ).toMatchObject({
      granted: true,
      source: 'merge',
    });
    const trail = await api(svc.url)
      .as(admin)
      .get<Page<AuditEntry>>(`/crm/customers/${other.id}/audit?field=merged_into`);
    expect(trail.body.data[0]).toMatchObject({
      new_value: survivor.id,
      via: 'POST /crm/customers/{id}/merge',
    });

    const events = await waitFor(
      () =>
        Promise.resolve(
          listener.events.filter((e: CloudEvent) => e.type === 'crm.customer.merged.v1'),
        ).then((l) => l.length >= 1 && l),
      { what: 'merged event' },
    );
    expect(events[0]?.data).toMatchObject({
      survivor_id: survivor.id,
      merged_ids: [other.id, fromBookingx],
      merged_by: { type: 'staff' },
    });
    await waitFor(
      async () => {
        const hits = await api(svc.url).as(admin).get<SearchPage>('/crm/search?q=lovelace');
        return hits.body.data.length === 1 && hits.body.data[0]?.id === survivor.id;
      },
      { what: 'merged customers out of search' },
    );

    // A later BookingX update of the merged customer does not bring it back.
    const later = buildEvent('bookingx.customer.updated.v1', {
      tenantId: tenant,
      data: { customer: { bookingx_id: bxId, first_name: 'Back' } },
    });
    await bus.publish([later]);
    await waitFor(async () => {
      const { rows } = await svc.kit.database.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM profiles.inbox WHERE event_id = $1',
        [later.id],
      );
      return (rows[0]?.n ?? 0) > 0;
    });
    const after = await api(svc.url).as(admin).get<Page<Customer>>('/crm/customers');
    expect(after.body.data.map((c) => [c.id, c.first_name])).toEqual([[survivor.id, 'Ada']]);
    await listener.close();
  });

  it('refuses self-merges, unknown or foreign ids, choices outside the merge, stale versions and the wrong roles, changing nothing', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const a = await create(admin, { owner_id: 'staff-1', team_id: 'team-a' });
    const b = await create(admin, { owner_id: 'staff-1', team_id: 'team-a' });
    const foreign = await create(await tokenFor(newTenant(), 'admin'), {});
    const outsider = '0190f5a4-7c1e-7d2a-9b3c-4d5e6f708192';
    const cases: [string, Record<string, unknown>, Record<string, string>, number, string?][] = [
      [admin, { merge_ids: [a.id] }, {}, 422, 'self_merge'],
      [admin, { merge_ids: [outsider] }, {}, 404],
      [admin, { merge_ids: [foreign.id] }, {}, 404],
      [
        admin,
        { merge_ids: [b.id], field_choices: { first_name: outsider } },
        {},
        422,
        'not_in_merge',
      ],
      [admin, { merge_ids: [b.id], field_choices: { shoe_size: b.id } }, {}, 422],
      [admin, { merge_ids: [] }, {}, 422],
      [admin, { merge_ids: [b.id], keep: 'all' }, {}, 422],
      [admin, { merge_ids: [b.id] }, { 'if-match': '"7"' }, 412],
      [await tokenFor(tenant, 'staff', { sub: 'staff-1' }), { merge_ids: [b.id] }, {}, 403],
      [await tokenFor(tenant, 'sales_rep', { sub: 'staff-1' }), { merge_ids: [b.id] }, {}, 403],
      [await tokenFor(tenant, 'customer', { sub: a.id }), { merge_ids: [b.id] }, {}, 403],
      [
        await tokenFor(tenant, 'manager', { sub: 'm', teams: ['team-b'] }),
        { merge_ids: [b.id] },
        {},
        404,
      ],
      [await tokenFor(newTenant(), 'admin'), { merge_ids: [b.id] }, {}, 404],
    ];
    for (const [token, body, headers, status, code] of cases) {
      const r = await api(svc.url)
        .as(token)
        .post<Problem>(`/crm/customers/${a.id}/merge`, body, { headers: headers });
      expect(r.status, JSON.stringify(body)).toBe(status);
      if (code) expect(r.body.errors?.[0]?.code).toBe(code);
    }
    for (const c of [a, b]) {
      const r = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${c.id}`);
      expect([r.body.id, r.body.version]).toEqual([c.id, 1]);
    }
    const manager = await tokenFor(tenant, 'manager', { sub: 'm', teams: ['team-a'] });
    const ok = await api(svc.url)
      .as(manager)
      .post<Customer>(`/crm/customers/${a.id}/merge`, { merge_ids: [b.id] });
    expect(ok.status).toBe(200);
    const again = await api(svc.url)
      .as(admin)
      .post<Problem>(`/crm/customers/${a.id}/merge`, { merge_ids: [b.id] });
    expect(again.status).toBe(404);
  });
});
