import type {
  AuditEntry,
  Customer,
  CustomerRelationships,
  Household,
  Page,
  Problem,
  Relationship,
} from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestService, tokenFor } from '../../../test/support/services.js';
import type { ProfilesConfig } from '../src/config.js';
import { migrationsFolder } from '../src/db/migrations-folder.js';
import { profilesService, type ProfilesDeps } from '../src/service.js';
import { buildCustomerBody, newTenant } from './factories.js';

let svc: RunningService<ProfilesConfig, ProfilesDeps>;

beforeAll(async () => {
  svc = await startTestService(profilesService, migrationsFolder);
});

afterAll(async () => {
  await svc.stop();
});

async function create(token: string, body: Record<string, unknown> = {}) {
  const r = await call<Customer>(svc.url, 'POST', '/crm/customers', {
    token,
    body: buildCustomerBody(body),
  });
  expect(r.status).toBe(201);
  return r.body;
}

const rels = (token: string, id: string) =>
  call<CustomerRelationships>(svc.url, 'GET', `/crm/customers/${id}/relationships`, { token });

describe('relationships', () => {
  it('are two-sided with the inverse type, listed on both profiles, audited, and removed from both', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const mum = await create(admin, { first_name: 'Mum' });
    const kid = await create(admin, { first_name: 'Kid' });
    const made = await call<Relationship>(
      svc.url,
      'POST',
      `/crm/customers/${kid.id}/relationships`,
      {
        token: admin,
        body: { related_customer_id: mum.id, type: 'parent', note: 'Books for the family' },
      },
    );
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

    const dup = await call<Problem>(svc.url, 'POST', `/crm/customers/${kid.id}/relationships`, {
      token: admin,
      body: { related_customer_id: mum.id, type: 'parent' },
    });
    expect(dup.status).toBe(409);
    const friend = await call<Relationship>(
      svc.url,
      'POST',
      `/crm/customers/${mum.id}/relationships`,
      {
        token: admin,
        body: { related_customer_id: kid.id, type: 'referred_by' },
      },
    );
    expect(friend.status).toBe(201);
    expect((await rels(admin, kid.id)).body.data.map((r) => r.type).sort()).toEqual([
      'parent',
      'referred',
    ]);

    const trail = await call<Page<AuditEntry>>(
      svc.url,
      'GET',
      `/crm/customers/${mum.id}/audit?field=relationships`,
      {
        token: admin,
      },
    );
    expect(trail.body.data.map((e) => (e.new_value as { type: string }).type)).toEqual([
      'referred_by',
      'child',
    ]);

    const gone = await call(
      svc.url,
      'DELETE',
      `/crm/customers/${mum.id}/relationships/${made.body.id}`,
      { token: admin },
    );
    expect(gone.status).toBe(204);
    expect((await rels(admin, kid.id)).body.data.map((r) => r.type)).toEqual(['referred']);
    expect(
      (
        await call(svc.url, 'DELETE', `/crm/customers/${mum.id}/relationships/${made.body.id}`, {
          token: admin,
        })
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
      const r = await call(svc.url, 'POST', `/crm/customers/${mine.id}/relationships`, {
        token: rep,
        body,
      });
      expect(r.status, JSON.stringify(body)).toBe(status);
    }
    const ok = await call<Relationship>(
      svc.url,
      'POST',
      `/crm/customers/${mine.id}/relationships`,
      {
        token: rep,
        body: { related_customer_id: alsoMine.id, type: 'colleague' },
      },
    );
    expect(ok.status).toBe(201);
    await call(svc.url, 'POST', `/crm/customers/${mine.id}/relationships`, {
      token: admin,
      body: { related_customer_id: notMine.id, type: 'sibling' },
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
      (
        await call(svc.url, 'POST', `/crm/customers/${mine.id}/relationships`, {
          token: staff,
          body,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(svc.url, 'DELETE', `/crm/customers/${mine.id}/relationships/${ok.body.id}`, {
          token: staff,
        })
      ).status,
    ).toBe(403);
    const self = await tokenFor(tenant, 'customer', { sub: mine.id });
    expect((await rels(self, mine.id)).status).toBe(403);
    const stranger = await tokenFor(newTenant(), 'admin');
    expect((await rels(stranger, mine.id)).status).toBe(404);
    expect(
      (
        await call(svc.url, 'DELETE', `/crm/customers/${mine.id}/relationships/${ok.body.id}`, {
          token: stranger,
        })
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
    const made = await call<Household>(svc.url, 'POST', '/crm/households', {
      token: admin,
      body: { name: 'The Lovelaces', member_ids: [a.id, b.id] },
    });
    expect(made.status).toBe(201);
    expect(made.headers.get('location')).toBe(`/crm/households/${made.body.id}`);
    expect(made.body.members.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect((await rels(admin, b.id)).body.household?.id).toBe(made.body.id);

    const stale = await call<Problem>(svc.url, 'PATCH', `/crm/households/${made.body.id}`, {
      token: admin,
      body: { name: 'x' },
      headers: { 'if-match': '"9"' },
    });
    expect(stale.status).toBe(412);
    const changed = await call<Household>(svc.url, 'PATCH', `/crm/households/${made.body.id}`, {
      token: admin,
      body: { name: 'Byron-Lovelace', add_member_ids: [c.id], remove_member_ids: [a.id] },
      headers: { 'if-match': '"1"' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Byron-Lovelace', version: 2 });
    expect(changed.body.members.map((m) => m.id).sort()).toEqual([b.id, c.id].sort());
    expect((await rels(admin, a.id)).body.household).toBeNull();

    const other = await call<Household>(svc.url, 'POST', '/crm/households', {
      token: admin,
      body: { name: 'Elsewhere', member_ids: [c.id] },
    });
    const first = await call<Household>(svc.url, 'GET', `/crm/households/${made.body.id}`, {
      token: admin,
    });
    expect(first.body.members.map((m) => m.id)).toEqual([b.id]);
    expect((await rels(admin, c.id)).body.household?.id).toBe(other.body.id);

    const foreignAdmin = await tokenFor(newTenant(), 'admin');
    expect(
      (await call(svc.url, 'GET', `/crm/households/${made.body.id}`, { token: foreignAdmin }))
        .status,
    ).toBe(404);
    expect(
      (
        await call(svc.url, 'POST', '/crm/households', {
          token: foreignAdmin,
          body: { name: 'x', member_ids: [a.id] },
        })
      ).status,
    ).toBe(404);
    const staff = await tokenFor(tenant, 'staff');
    expect(
      (
        await call(svc.url, 'POST', '/crm/households', {
          token: staff,
          body: { name: 'x', member_ids: [a.id] },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(svc.url, 'GET', `/crm/households/${made.body.id}`, { token: staff })).status,
    ).toBe(404);
    const bad = await call<Problem>(svc.url, 'POST', '/crm/households', {
      token: admin,
      body: { name: '', member_ids: [] },
    });
    expect(bad.status).toBe(422);

    expect(
      (await call(svc.url, 'DELETE', `/crm/households/${made.body.id}`, { token: admin })).status,
    ).toBe(204);
    expect(
      (await call(svc.url, 'GET', `/crm/households/${made.body.id}`, { token: admin })).status,
    ).toBe(404);
    expect((await rels(admin, b.id)).body.household).toBeNull();
  });
});
