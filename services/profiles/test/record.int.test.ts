import type { CloudEvent, Customer, Page, Problem, Tag } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, newTenant, tokenFor, useBus, useService, waitFor } from '@crm/testing';
import { profilesService } from '../src/service.js';

const svc = useService(profilesService);
const bus = useBus();

async function createCustomer(token: string, overrides: Record<string, unknown> = {}) {
  const r = await api(svc.url).as(token).post<Customer>('/crm/customers', buildCustomer(overrides));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function createTag(token: string, name: string, colour = '#1F77B4') {
  const r = await api(svc.url).as(token).post<Tag>('/crm/tags', { name, colour });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

function eventsFor(events: CloudEvent[], subject: string, type: string): CloudEvent[] {
  return events.filter((e) => e.subject === subject && e.type === type);
}

describe('the full record', () => {
  it('stores address, locale, preferences and social links, and merges preferences on PATCH', async () => {
    const admin = await tokenFor(newTenant(), 'admin');
    const created = await createCustomer(admin, {
      locale: 'de-de',
      address: { line1: 'Unter den Linden 1', city: 'Berlin', postal_code: '10117', country: 'DE' },
      preferences: { favorite_services: ['haircut'], preferred_times_of_day: ['morning'] },
      linkedin_url: 'https://www.linkedin.com/in/ada',
      twitter_url: 'https://x.com/ada',
    });
    expect(created.locale).toBe('de-DE');
    expect(created.address).toEqual({
      line1: 'Unter den Linden 1',
      line2: null,
      city: 'Berlin',
      region: null,
      postal_code: '10117',
      country: 'DE',
    });
    expect(created.preferences).toEqual({
      favorite_services: ['haircut'],
      favorite_staff: [],
      preferred_times_of_day: ['morning'],
      preferred_days: [],
      notes: null,
    });
    expect(created.tags).toEqual([]);
    expect(created.collaborator_ids).toEqual([]);

    const patched = await api(svc.url)
      .as(admin)
      .patch<Customer>(`/crm/customers/${created.id}`, {
        preferences: { favorite_staff: ['staff-7'] },
        address: null,
      });
    expect(patched.status).toBe(200);
    expect(patched.body.preferences?.favorite_services).toEqual(['haircut']);
    expect(patched.body.preferences?.favorite_staff).toEqual(['staff-7']);
    expect(patched.body.address).toBeNull();
  });

  it('refuses links to the wrong network, bad locales, countries and preference values, writing nothing', async () => {
    const admin = await tokenFor(newTenant(), 'admin');
    const customer = await createCustomer(admin);
    const cases: [Record<string, unknown>, string][] = [
      [{ linkedin_url: 'https://evil.example/linkedin.com' }, 'linkedin_url'],
      [{ facebook_url: 'javascript:alert(1)' }, 'facebook_url'],
      [{ instagram_url: 'https://instagram.com.evil.example/x' }, 'instagram_url'],
      [{ website: 'ftp://example.com' }, 'website'],
      [{ locale: 'not a locale!' }, 'locale'],
      [{ address: { country: 'Germany' } }, 'address.country'],
      [{ address: { planet: 'Mars' } }, 'address.planet'],
      [
        { preferences: { preferred_times_of_day: ['midnight'] } },
        'preferences.preferred_times_of_day.0',
      ],
      [{ preferences: { favorite_colour: 'blue' } }, 'preferences.favorite_colour'],
      [{ collaborator_ids: 'staff-1' }, 'collaborator_ids'],
      [{ email: 'nope' }, 'email'],
      [{ phone: '12' }, 'phone'],
    ];
    for (const [body, field] of cases) {
      const r = await api(svc.url).as(admin).patch<Problem>(`/crm/customers/${customer.id}`, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors?.map((e) => e.field)).toContain(field);
    }
    const after = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${customer.id}`);
    expect(after.body.version).toBe(1);
  });

  it('refuses an oversized body with 413', async () => {
    const admin = await tokenFor(newTenant(), 'admin');
    const r = await api(svc.url)
      .as(admin)
      .post<Problem>('/crm/customers', buildCustomer({ company_name: 'x'.repeat(300_000) }));
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('payload_too_large');
  });
});

describe('assignment: owner, team and collaborators', () => {
  it('lets collaborators see the customer, publishes assignment changes, and keeps assigning to admins and managers', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const listener = await bus.listen('crm.events', 'crm.customer.#');
    const customer = await createCustomer(admin, { owner_id: 'staff-owner' });
    const helper = await tokenFor(tenant, 'staff', { sub: 'staff-helper' });
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-helper' });
    const manager = await tokenFor(tenant, 'manager', { sub: 'mgr-x', teams: ['team-x'] });

    expect((await api(svc.url).as(helper).get(`/crm/customers/${customer.id}`)).status).toBe(404);
    expect(
      (
        await api(svc.url)
          .as(rep)
          .patch(`/crm/customers/${customer.id}`, { collaborator_ids: ['rep-helper'] })
      ).status,
    ).toBe(403);

    const assigned = await api(svc.url)
      .as(admin)
      .patch<Customer>(
        `/crm/customers/${customer.id}`,
        { collaborator_ids: ['staff-helper', 'rep-helper', 'staff-helper'] },
        { headers: { 'if-match': '"1"' } },
      );
    expect(assigned.status).toBe(200);
    expect(assigned.body.collaborator_ids).toEqual(['rep-helper', 'staff-helper']);

    expect((await api(svc.url).as(helper).get(`/crm/customers/${customer.id}`)).status).toBe(200);
    const repList = await api(svc.url).as(rep).get<Page<Customer>>('/crm/customers');
    expect(repList.body.data.map((c) => c.id)).toEqual([customer.id]);
    // A sales rep collaborating on a customer may edit it, but not reassign it.
    expect(
      (await api(svc.url).as(rep).patch(`/crm/customers/${customer.id}`, { job_title: 'Engineer' }))
        .status,
    ).toBe(200);
    expect((await api(svc.url).as(manager).get(`/crm/customers/${customer.id}`)).status).toBe(404);
    const toTeam = await api(svc.url)
      .as(admin)
      .patch<Customer>(`/crm/customers/${customer.id}`, { team_id: 'team-x' });
    expect(toTeam.status).toBe(200);
    const byManager = await api(svc.url)
      .as(manager)
      .patch<Customer>(`/crm/customers/${customer.id}`, { collaborator_ids: [] });
    expect(byManager.status).toBe(200);
    expect((await api(svc.url).as(helper).get(`/crm/customers/${customer.id}`)).status).toBe(404);

    const assignments = await waitFor(
      () =>
        Promise.resolve(
          eventsFor(listener.events, customer.id, 'crm.customer.assignment.changed.v1'),
        ).then((l) => l.length >= 4 && l),
      { what: 'assignment events' },
    );
    expect(assignments.map((e) => e.data)).toEqual([
      {
        customer_id: customer.id,
        owner_id: 'staff-owner',
        team_id: null,
        collaborator_ids: [],
        version: 1,
      },
      {
        customer_id: customer.id,
        owner_id: 'staff-owner',
        team_id: null,
        collaborator_ids: ['rep-helper', 'staff-helper'],
        version: 2,
      },
      {
        customer_id: customer.id,
        owner_id: 'staff-owner',
        team_id: 'team-x',
        collaborator_ids: ['rep-helper', 'staff-helper'],
        version: 4,
      },
      {
        customer_id: customer.id,
        owner_id: 'staff-owner',
        team_id: 'team-x',
        collaborator_ids: [],
        version: 5,
      },
    ]);
    // The job title change is not an assignment change.
    expect(assignments.map((e) => e.sequence)).toEqual(['1', '2', '4', '5']);
    await listener.close();
  });
});

describe('lifecycle stages', () => {
  it('serves the default list, lets an admin replace it, and refuses stages outside it', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const staff = await tokenFor(tenant, 'staff');
    const manager = await tokenFor(tenant, 'manager');
    const customerRole = await tokenFor(tenant, 'customer');

    const initial = await api(svc.url)
      .as(staff)
      .get<{ data: { key: string }[] }>('/crm/lifecycle-stages');
    expect(initial.status).toBe(200);
    expect(initial.headers.get('etag')).toBe('"1"');
    expect(initial.body.data.map((s) => s.key)).toContain('new');
    expect((await api(svc.url).as(customerRole).get('/crm/lifecycle-stages')).status).toBe(403);

    const stages = [
      { key: 'new', label: 'New' },
      { key: 'trial', label: 'Trial' },
      { key: 'member', label: 'Member' },
    ];
    expect((await api(svc.url).as(manager).put('/crm/lifecycle-stages', { stages })).status).toBe(
      403,
    );
    const missingDefault = await api(svc.url)
      .as(admin)
      .put<Problem>('/crm/lifecycle-stages', { stages: [{ key: 'trial', label: 'Trial' }] });
    expect(missingDefault.status).toBe(422);
    expect(missingDefault.body.errors?.[0]?.code).toBe('missing_default_stage');
    const repeated = await api(svc.url)
      .as(admin)
      .put<Problem>('/crm/lifecycle-stages', {
        stages: [...stages, { key: 'trial', label: 'Again' }],
      });
    expect(repeated.status).toBe(422);
    expect(repeated.body.errors?.[0]?.field).toBe('stages.3.key');
    const badKey = await api(svc.url)
      .as(admin)
      .put<Problem>('/crm/lifecycle-stages', { stages: [{ key: 'New Stage', label: 'x' }] });
    expect(badKey.status).toBe(422);

    const put = await api(svc.url)
      .as(admin)
      .put<{ data: unknown[] }>(
        '/crm/lifecycle-stages',
        { stages },
        { headers: { 'if-match': '"1"' } },
      );
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('"2"');
    expect(put.body.data).toEqual(stages);
    const stale = await api(svc.url)
      .as(admin)
      .put<Problem>('/crm/lifecycle-stages', { stages }, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);

    const listener = await bus.listen('crm.events', 'crm.customer.stage_changed.v1');
    const customer = await createCustomer(admin);
    const unknown = await api(svc.url)
      .as(admin)
      .patch<Problem>(`/crm/customers/${customer.id}`, { customer_stage: 'lead' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.[0]).toMatchObject({
      field: 'customer_stage',
      code: 'unknown_stage',
    });
    expect(
      (
        await api(svc.url)
          .as(admin)
          .post('/crm/customers', buildCustomer({ customer_stage: 'lead' }))
      ).status,
    ).toBe(422);

    for (const stage of ['trial', 'member']) {
      const moved = await api(svc.url)
        .as(admin)
        .patch<Customer>(`/crm/customers/${customer.id}`, { customer_stage: stage });
      expect(moved.status).toBe(200);
    }
    const changes = await waitFor(
      () =>
        Promise.resolve(listener.events.filter((e) => e.subject === customer.id)).then(
          (l) => l.length >= 2 && l,
        ),
      { what: 'stage events' },
    );
    expect(changes.map((e) => e.data)).toMatchObject([
      {
        customer_id: customer.id,
        from: 'new',
        to: 'trial',
        version: 2,
        changed_by: { type: 'staff' },
      },
      { customer_id: customer.id, from: 'trial', to: 'member', version: 3 },
    ]);
    await listener.close();
  });
});

describe('tags', () => {
  it('keeps a catalog with colours and counts; tags customers by name; renames and deletes reach every carrier', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const listener = await bus.listen('crm.events', 'crm.customer.updated.v1');
    const vip = await createTag(admin, 'Regular');
    expect(vip.colour).toBe('#1f77b4');
    const dup = await api(svc.url).as(admin).post<Problem>('/crm/tags', { name: 'regular' });
    expect(dup.status).toBe(409);
    await createTag(admin, 'Newsletter', '#00ff00');

    const a = await createCustomer(admin);
    const b = await createCustomer(admin);
    const tagged = await api(svc.url)
      .as(admin)
      .post<Customer>(
        `/crm/customers/${a.id}/tags`,
        { add: ['regular', 'Newsletter'] },
        { headers: { 'if-match': '"1"' } },
      );
    expect(tagged.status).toBe(200);
    expect(tagged.body.tags).toEqual(['Newsletter', 'Regular']);
    expect(tagged.body.version).toBe(2);

    const again = await api(svc.url)
      .as(admin)
      .post<Customer>(`/crm/customers/${a.id}/tags`, { add: ['Regular'] });
    expect(again.body.version).toBe(2);

    const stale = await api(svc.url)
      .as(admin)
      .post<Problem>(
        `/crm/customers/${a.id}/tags`,
        { remove: ['Regular'] },
        { headers: { 'if-match': '"1"' } },
      );
    expect(stale.status).toBe(412);

    const unknown = await api(svc.url)
      .as(admin)
      .post<Problem>(`/crm/customers/${b.id}/tags`, { add: ['Regular', 'Nope'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { field: 'add', code: 'unknown_tag', message: 'No tag named "Nope" in the catalog' },
    ]);
    const bAfter = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${b.id}`);
    expect(bAfter.body.tags).toEqual([]);

    const list = await api(svc.url).as(admin).get<Page<Tag>>('/crm/tags?limit=1');
    expect(list.body.data.map((t) => [t.name, t.customer_count])).toEqual([['Newsletter', 1]]);
    const next = await api(svc.url)
      .as(admin)
      .get<Page<Tag>>(
        `/crm/tags?limit=1&cursor=${encodeURIComponent(list.body.next_cursor ?? '')}`,
      );
    expect(next.body.data.map((t) => t.name)).toEqual(['Regular']);
    expect(next.body.next_cursor).toBeNull();
    const prefixed = await api(svc.url).as(admin).get<Page<Tag>>('/crm/tags?q=REG');
    expect(prefixed.body.data.map((t) => t.name)).toEqual(['Regular']);

    const renamed = await api(svc.url)
      .as(admin)
      .patch<Tag>(
        `/crm/tags/${vip.id}`,
        { name: 'Regular guest' },
        { headers: { 'if-match': '"1"' } },
      );
    expect(renamed.status).toBe(200);
    expect(renamed.body.version).toBe(2);
    expect(renamed.body.customer_count).toBe(1);
    const staleTag = await api(svc.url)
      .as(admin)
      .patch<Problem>(
        `/crm/tags/${vip.id}`,
        { colour: '#000000' },
        { headers: { 'if-match': '"1"' } },
      );
    expect(staleTag.status).toBe(412);
    const aRenamed = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${a.id}`);
    expect(aRenamed.body.tags).toEqual(['Newsletter', 'Regular guest']);
    expect(aRenamed.body.version).toBe(3);

    const deleted = await api(svc.url).as(admin).delete(`/crm/tags/${vip.id}`);
    expect(deleted.status).toBe(204);
    const aDeleted = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${a.id}`);
    expect(aDeleted.body.tags).toEqual(['Newsletter']);
    expect((await api(svc.url).as(admin).get(`/crm/tags/${vip.id}`)).status).toBe(404);

    const updates = await waitFor(
      () =>
        Promise.resolve(listener.events.filter((e) => e.subject === a.id)).then(
          (l) => l.length >= 3 && l,
        ),
      { what: 'tag update events' },
    );
    expect(
      updates.map(
        (e) => (e.data as { changed_fields: string[]; customer: Customer }).customer.tags,
      ),
    ).toEqual([['Newsletter', 'Regular'], ['Newsletter', 'Regular guest'], ['Newsletter']]);
    expect(
      updates.every((e) =>
        (e.data as { changed_fields: string[] }).changed_fields.includes('tags'),
      ),
    ).toBe(true);
    await listener.close();
  });

  it('bulk-tags the customers the caller may change and reports the rest, all or nothing', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await createTag(admin, 'Spring promo');
    const mine = await createCustomer(admin, { owner_id: 'rep-1' });
    const alsoMine = await createCustomer(admin, { owner_id: 'rep-1' });
    const notMine = await createCustomer(admin, { owner_id: 'rep-2' });
    const foreign = await createCustomer(await tokenFor(newTenant(), 'admin'));
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' });

    const bad = await api(svc.url)
      .as(rep)
      .post<Problem>('/crm/customers/bulk/tags', {
        customer_ids: [mine.id],
        add: ['Spring promo', 'Unknown'],
      });
    expect(bad.status).toBe(422);
    const unchanged = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${mine.id}`);
    expect(unchanged.body.tags).toEqual([]);

    const r = await api(svc.url)
      .as(rep)
      .post<{ updated: string[]; unchanged: string[]; not_found: string[] }>(
        '/crm/customers/bulk/tags',
        {
          customer_ids: [mine.id, alsoMine.id, notMine.id, foreign.id],
          add: ['spring PROMO'],
        },
      );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      updated: [mine.id, alsoMine.id],
      unchanged: [],
      not_found: [notMine.id, foreign.id],
    });
    const second = await api(svc.url)
      .as(rep)
      .post<{ updated: string[]; unchanged: string[] }>('/crm/customers/bulk/tags', {
        customer_ids: [mine.id],
        add: ['Spring promo'],
      });
    expect(second.body.unchanged).toEqual([mine.id]);
    const other = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${notMine.id}`);
    expect(other.body.tags).toEqual([]);

    const tooMany = await api(svc.url)
      .as(rep)
      .post<Problem>('/crm/customers/bulk/tags', {
        customer_ids: Array.from({ length: 1001 }, () => mine.id),
        add: ['Spring promo'],
      });
    expect(tooMany.status).toBe(422);
    const nothing = await api(svc.url)
      .as(rep)
      .post<Problem>('/crm/customers/bulk/tags', { customer_ids: [mine.id] });
    expect(nothing.status).toBe(422);
  });
});
