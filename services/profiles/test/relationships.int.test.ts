import type {
  AuditEntry,
  Customer,
  CustomerRelationships,
  Household,
  Page,
  Problem,
  Relationship,
} from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, newTenant, tokenFor, useService } from '@crm/testing';
import { profilesService } from '../src/service.js';

const svc = useService(profilesService);

async function create(token: string, body: Record<string, unknown> = {}) {
  const r = await api(svc.url).as(token).post<Customer>('/crm/customers', buildCustomer(body));
  expect(r.status).toBe(201);
  return r.body;
}

const rels = (token: string, id: string) =>
  api(svc.url).as(token).get<CustomerRelationships>(`/crm/customers/${id}/relationships`);

describe('relationships', () => {
  it('are two-sided with the inverse type, listed on both profiles, audited, and removed from both', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const mum = await create(admin, { first_name: 'Mum' });
    const kid = await create(admin, { first_name: 'Kid' });
    const made = await api(svc.url)
      .as(admin)
      .post<Relationship>(`/crm/customers/${kid.id}/relationships`, {
        related_customer_id: mum.id,
        type: 'parent',
        note: 'Books for the family',
      });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      customer_id: kid.id,
      type: 'parent',
      related_customer: { id: mum.id, first_name: 'Mum' },
    });
    const fromMum = await rels(admin, mum.id);
    expect(fromMum.body.data.map((r) => [r.id, r.type, r.related_customer.id])).toEqual([
      [made.body.id, 'child', kid.id],
    ]);

    const dup = await api(svc.url)
      .as(admin)
      .post<Problem>(`/crm/customers/${kid.id}/relationships`, {
        related_customer_id: mum.id,
        type: 'parent',
      });
    expect(dup.status).toBe(409);
    const friend = await api(svc.url)
      .as(admin)
      .post<Relationship>(`/crm/customers/${mum.id}/relationships`, {
        related_customer_id: kid.id,
        type: 'referred_by',
      });
    expect(friend.status).toBe(201);
    expect((await rels(admin, kid.id)).body.data.map((r) => r.type).sort()).toEqual([
      'parent',
      'referred',
    ]);

    const trail = await api(svc.url)
      .as(admin)
      .get<Page<AuditEntry>>(`/crm/customers/${mum.id}/audit?field=relationships`);
    expect(trail.body.data.map((e) => (e.new_value as { type: string }).type)).toEqual([
      'referred_by',
      'child',
    ]);

    const gone = await api(svc.url)
      .as(admin)
      .delete(`/crm/customers/${mum.id}/relationships/${made.body.id}`);
    expect(gone.status).toBe(204);
    expect((await rels(admin, kid.id)).body.data.map((r) => r.type)).toEqual(['referred']);
    expect(
      (
        await api(svc.url)
          .as(admin)
          .delete(`/crm/customers/${mum.id}/relationships/${made.body.id}`)
      ).status,
    ).toBe(404);
  });

  it('refuses bad input and keeps to what each role may see', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const mine = await create(admin, { owner_id: 'rep-1' });
    const notMine = await create(admin, { owner_id: 'rep-2' });
    const alsoMine = await create(admin, { owner_id: 'rep-1' });
    const foreign = await create(await tokenFor(newTenant(), 'admin'));
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' });
    for (const [body, status] of [
      [{ related_customer_id: mine.id, type: 'friend' }, 422],
      [{ related_customer_id: alsoMine.id, type: 'nemesis' }, 422],
      [{ related_customer_id: alsoMine.id, type: 'friend', since: 2020 }, 422],
      [{ related_customer_id: notMine.id, type: 'friend' }, 404],
      [{ related_customer_id: foreign.id, type: 'friend' }, 404],
    ] as const) {
      const r = await api(svc.url).as(rep).post(`/crm/customers/${mine.id}/relationships`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
    }
    const ok = await api(svc.url)
      .as(rep)
      .post<Relationship>(`/crm/customers/${mine.id}/relationships`, {
        related_customer_id: alsoMine.id,
        type: 'colleague',
      });
    expect(ok.status).toBe(201);
    await api(svc.url).as(admin).post(`/crm/customers/${mine.id}/relationships`, {
      related_customer_id: notMine.id,
      type: 'sibling',
    });
    // The rep sees the relationship to a customer they may see, not the one to another rep's.
    expect((await rels(rep, mine.id)).body.data.map((r) => r.related_customer.id)).toEqual([
      alsoMine.id,
    ]);
    expect((await rels(admin, mine.id)).body.data).toHaveLength(2);

    const staff = await tokenFor(tenant, 'staff', { sub: 'rep-1' });
    expect((await rels(staff, mine.id)).status).toBe(200);
    const body = { related_customer_id: alsoMine.id, type: 'friend' };
    expect(
      (await api(svc.url).as(staff).post(`/crm/customers/${mine.id}/relationships`, body)).status,
    ).toBe(403);
    expect(
      (await api(svc.url).as(staff).delete(`/crm/customers/${mine.id}/relationships/${ok.body.id}`))
        .status,
    ).toBe(403);
    const self = await tokenFor(tenant, 'customer', { sub: mine.id });
    expect((await rels(self, mine.id)).status).toBe(403);
    const stranger = await tokenFor(newTenant(), 'admin');
    expect((await rels(stranger, mine.id)).status).toBe(404);
    expect(
      (
        await api(svc.url)
          .as(stranger)
          .delete(`/crm/customers/${mine.id}/relationships/${ok.body.id}`)
      ).status,
    ).toBe(404);
    const manager = await tokenFor(tenant, 'manager', { sub: 'rep-2' });
    expect((await rels(manager, mine.id)).status).toBe(404);
  });
});

describe('households', () => {
  it('groups customers, one household each, with If-Match on changes, listed on every member', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const a = await create(admin);
    const b = await create(admin);
    const c = await create(admin);
    const made = await api(svc.url)
      .as(admin)
      .post<Household>('/crm/households', { name: 'The Lovelaces', member_ids: [a.id, b.id] });
    expect(made.status).toBe(201);
    expect(made.headers.get('location')).toBe(`/crm/households/${made.body.id}`);
    expect(made.body.members.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect((await rels(admin, b.id)).body.household?.id).toBe(made.body.id);

    const stale = await api(svc.url)
      .as(admin)
      .patch<Problem>(
        `/crm/households/${made.body.id}`,
        { name: 'x' },
        { headers: { 'if-match': '"9"' } },
      );
    expect(stale.status).toBe(412);
    const changed = await api(svc.url)
      .as(admin)
      .patch<Household>(
        `/crm/households/${made.body.id}`,
        { name: 'Byron-Lovelace', add_member_ids: [c.id], remove_member_ids: [a.id] },
        { headers: { 'if-match': '"1"' } },
      );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Byron-Lovelace', version: 2 });
    expect(changed.body.members.map((m) => m.id).sort()).toEqual([b.id, c.id].sort());
    expect((await rels(admin, a.id)).body.household).toBeNull();

    const other = await api(svc.url)
      .as(admin)
      .post<Household>('/crm/households', { name: 'Elsewhere', member_ids: [c.id] });
    const first = await api(svc.url).as(admin).get<Household>(`/crm/households/${made.body.id}`);
    expect(first.body.members.map((m) => m.id)).toEqual([b.id]);
    expect((await rels(admin, c.id)).body.household?.id).toBe(other.body.id);

    const foreignAdmin = await tokenFor(newTenant(), 'admin');
    expect(
      (await api(svc.url).as(foreignAdmin).get(`/crm/households/${made.body.id}`)).status,
    ).toBe(404);
    expect(
      (
        await api(svc.url)
          .as(foreignAdmin)
          .post('/crm/households', { name: 'x', member_ids: [a.id] })
      ).status,
    ).toBe(404);
    const staff = await tokenFor(tenant, 'staff');
    expect(
      (
        await api(svc.url)
          .as(staff)
          .post('/crm/households', { name: 'x', member_ids: [a.id] })
      ).status,
    ).toBe(403);
    expect((await api(svc.url).as(staff).get(`/crm/households/${made.body.id}`)).status).toBe(404);
    const bad = await api(svc.url)
      .as(admin)
      .post<Problem>('/crm/households', { name: '', member_ids: [] });
    expect(bad.status).toBe(422);

    expect((await api(svc.url).as(admin).delete(`/crm/households/${made.body.id}`)).status).toBe(
      204,
    );
    expect((await api(svc.url).as(admin).get(`/crm/households/${made.body.id}`)).status).toBe(404);
    expect((await rels(admin, b.id)).body.household).toBeNull();
  });
});
