import type { Customer, SearchPage } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, createCustomer, newTenant, tokenFor, waitFor } from '@crm/testing';
import { filterOf, MEILI_SETTINGS, quote } from '../src/clients/meili-search.js';
import { useProfilesOnMeiliStandIn } from './fixtures.js';

const meili = useProfilesOnMeiliStandIn('crm_customers_test');
const { svc } = meili;

describe('the Meilisearch adapter against a loopback stand-in', () => {
  it('creates the index with its settings at start-up and waits for both tasks', () => {
    const created = meili.standIn.requests.find(
      (r) => r.method === 'POST' && r.path === '/indexes',
    );
    expect(created?.body).toEqual({ uid: 'crm_customers_test', primaryKey: 'id' });
    const settings = meili.standIn.requests.find(
      (r) => r.path === '/indexes/crm_customers_test/settings',
    );
    expect(settings?.method).toBe('PATCH');
    expect(settings?.body).toEqual(MEILI_SETTINGS);
    expect(
      meili.standIn.requests.filter((r) => r.path.startsWith('/tasks/')).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('indexes customers from their events and answers search with tenant_id forced into every filter', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = await createCustomer(api(svc.url).as(admin), {
      first_name: 'Ada',
      last_name: 'Lovelace',
      owner_id: 'staff-1',
    });
    const doc = await waitFor(() => Promise.resolve(meili.standIn.docs.get(created.id)), {
      what: 'document',
    });
    expect(doc).toMatchObject({
      id: created.id,
      tenant_id: tenant,
      first_name: 'Ada',
      last_name: 'Lovelace',
      owner_id: 'staff-1',
      collaborator_ids: [],
      tags: [],
      customer_status: 'active',
    });

    const hits = await api(svc.url).as(admin).get<SearchPage>('/crm/search?q=love&vip=false');
    expect(hits.status).toBe(200);
    expect(hits.body.engine).toBe('meilisearch');
    expect(hits.body.data.map((h) => h.id)).toEqual([created.id]);

    const staff = await tokenFor(tenant, 'staff', { sub: 'staff-2' });
    await api(svc.url).as(staff).get('/crm/search?q=love');
    await api(svc.url)
      .as(admin)
      .get(`/crm/search?q=${encodeURIComponent(created.email ?? '')}`);
    const stranger = await tokenFor(newTenant(), 'admin');
    const none = await api(svc.url).as(stranger).get<SearchPage>('/crm/search?q=love');
    expect(none.body.data).toEqual([]);

    const searches = meili.standIn.requests.filter(
      (r) => r.path === '/indexes/crm_customers_test/search',
    );
    expect(searches.length).toBeGreaterThanOrEqual(4);
    for (const s of searches) {
      const filter = (s.body as { filter: string[] }).filter;
      expect(filter[0]).toMatch(/^tenant_id = "[0-9a-f-]{36}"$/);
    }
    const [adminSearch, staffSearch, emailSearch] = searches
      .slice(-4)
      .map((s) => s.body as { q: string; filter: string[] });
    expect(adminSearch?.filter).toEqual([`tenant_id = "${tenant}"`, 'vip_status = false']);
    expect(staffSearch?.filter).toEqual([
      `tenant_id = "${tenant}"`,
      '(owner_id = "staff-2" OR collaborator_ids = "staff-2")',
    ]);
    expect(emailSearch).toMatchObject({
      q: '',
      filter: [`tenant_id = "${tenant}"`, `email = "${created.email ?? ''}"`],
    });
  });

  it('sends the folded words, every one of which must match, and indexes the folded names', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const zoe = await createCustomer(api(svc.url).as(admin), {
      first_name: 'Zoë',
      last_name: 'Müller-Łukasz',
    });
    const other = await createCustomer(api(svc.url).as(admin), {
      first_name: 'Zoe',
      last_name: 'Smith',
    });
    const doc = await waitFor(() => Promise.resolve(meili.standIn.docs.get(zoe.id)), {
      what: 'document',
    });
    expect(doc).toMatchObject({ last_name: 'Müller-Łukasz', search_names: 'zoe muller-lukasz' });
    await waitFor(() => Promise.resolve(meili.standIn.docs.get(other.id)), { what: 'document' });

    const find = async (q: string) => {
      const r = await api(svc.url)
        .as(admin)
        .get<SearchPage>(`/crm/search?q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      return r.body.data.map((h) => h.id).sort();
    };
    expect(await find('ZOË MÜLLER-Łuk')).toEqual([zoe.id]);
    const sent = meili.standIn.requests.filter(
      (r) => r.path === '/indexes/crm_customers_test/search',
    );
    expect(sent.at(-1)?.body).toMatchObject({ q: 'zoe muller luk', matchingStrategy: 'all' });
    expect(await find('zoe')).toEqual([zoe.id, other.id].sort());
    expect(await find('zoe xyzzy')).toEqual([]);
  });

  it('removes an erased customer from the index', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ first_name: 'Erin', last_name: 'Erased' }));
    await waitFor(() => Promise.resolve(meili.standIn.docs.get(created.body.id)), {
      what: 'document',
    });
    const erased = await api(svc.url)
      .as(admin)
      .post(`/crm/customers/${created.body.id}/erase`, { reason: 'request' });
    expect(erased.status).toBe(200);
    await waitFor(() => Promise.resolve(!meili.standIn.docs.has(created.body.id)), {
      what: 'document removed',
    });
    const hits = await api(svc.url).as(admin).get<SearchPage>('/crm/search?q=erased');
    expect(hits.body.data).toEqual([]);
  });

  it('quotes values so that none can close its quote and add a clause', () => {
    expect(quote('a" OR tenant_id = "b')).toBe('"a\\" OR tenant_id = \\"b"');
    expect(quote('back\\slash')).toBe('"back\\\\slash"');
    const filter = filterOf({
      scope: { kind: 'team', tenantId: 't1', ownerId: 'm"1', teams: ['x', 'y"z'] },
      match: { kind: 'words', text: 'ada', words: ['ada'] },
      filters: { tags: ['VIP "gold"'], stage: 'lead' },
      sort: 'relevance',
      limit: 10,
      offset: 0,
    });
    expect(filter).toEqual([
      'tenant_id = "t1"',
      '(owner_id = "m\\"1" OR collaborator_ids = "m\\"1" OR team_id IN ["x", "y\\"z"])',
      'customer_stage = "lead"',
      'tags = "VIP \\"gold\\""',
    ]);
  });
});
