import {
  MAX_BULK_FILTER_MATCHES,
  evaluateFilter,
  type FilterNode,
  type BulkResult,
  type Customer,
  type Page,
  type Problem,
} from '@crm/contracts';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { api, newTenant, tokenFor } from '@crm/testing';
import { CustomFieldsRepository } from '../src/db/custom-fields.repository.js';
import { CustomerFilter, filterRecordOf } from '../src/domain/customers/customer-filter.js';
import { choices, stageAndAssignmentChanges, useProfiles } from './fixtures.js';

const { svc, bus, create: customer, defineField, defineFields } = useProfiles();

function listPath(filter: unknown, extra = ''): string {
  return `/crm/customers?limit=200${extra}&filter=${encodeURIComponent(JSON.stringify(filter))}`;
}

async function ids(token: string, filter: unknown, extra = ''): Promise<string[]> {
  const r = await api(svc.url).as(token).get<Page<Customer>>(listPath(filter, extra));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.map((c) => c.id).sort();
}

const sorted = (...list: { id: string }[]) => list.map((c) => c.id).sort();

describe('GET /crm/customers?filter=', () => {
  it('answers core fields, tags, custom fields and assignment, combined with the other parameters', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin', { sub: 'boss' });
    await api(svc.url).as(admin).post('/crm/tags', { name: 'Gold' });
    await defineFields(
      admin,
      { field_name: 'shoe_size', field_label: 'Shoe size', field_type: 'number' },
      { field_name: 'colours', field_type: 'multiselect', field_options: choices('red', 'blue') },
    );
    const a = await customer(admin, {
      first_name: 'Ann',
      address: { city: 'Berlin' },
      vip_status: true,
      birthday: '1992-02-29',
      custom_fields: { shoe_size: 38, colours: ['red'] },
      owner_id: 'rep-1',
      collaborator_ids: ['rep-9'],
    });
    const b = await customer(admin, {
      first_name: 'Bob',
      address: { city: 'berlin-Mitte' },
      customer_stage: 'lead',
      custom_fields: { shoe_size: 44, colours: ['blue', 'red'] },
      owner_id: 'rep-2',
    });
    const c = await customer(admin, {
      first_name: 'Cleo',
      company_name: '100%_Real',
      owner_id: 'rep-1',
    });
    const other = await customer(await tokenFor(newTenant(), 'admin'), { first_name: 'Ann' });
    await api(svc.url)
      .as(admin)
      .post(`/crm/customers/${b.id}/tags`, { add: ['Gold'] });

    expect(await ids(admin, { field: 'first_name', op: 'eq', value: 'ann' })).toEqual(sorted(a));
    expect(await ids(admin, { field: 'city', op: 'starts_with', value: 'BERLIN' })).toEqual(
      sorted(a, b),
    );
    expect(await ids(admin, { field: 'city', op: 'neq', value: 'berlin' })).toEqual(sorted(b, c));
    expect(await ids(admin, { field: 'company_name', op: 'contains', value: '%_' })).toEqual(
      sorted(c),
    );
    expect(await ids(admin, { field: 'company_name', op: 'contains', value: '_%' })).toEqual([]);
    expect(await ids(admin, { field: 'vip_status', op: 'eq', value: true })).toEqual(sorted(a));
    expect(await ids(admin, { field: 'tags', op: 'contains', value: 'gold' })).toEqual(sorted(b));
    expect(await ids(admin, { field: 'tags', op: 'is_not_set' })).toEqual(sorted(a, c));
    expect(await ids(admin, { field: 'custom.shoe_size', op: 'gte', value: 40 })).toEqual(
      sorted(b),
    );
    expect(await ids(admin, { field: 'custom.shoe_size', op: 'between', value: [30, 50] })).toEqual(
      sorted(a, b),
    );
    expect(await ids(admin, { field: 'custom.colours', op: 'in', value: ['blue'] })).toEqual(
      sorted(b),
    );
    expect(await ids(admin, { field: 'custom.shoe_size', op: 'is_not_set' })).toEqual(sorted(c));
    expect(await ids(admin, { field: 'assigned_to', op: 'contains', value: 'rep-9' })).toEqual(
      sorted(a),
    );
    expect(
      await ids(admin, {
        or: [
          { field: 'customer_stage', op: 'eq', value: 'lead' },
          { not: { field: 'owner_id', op: 'in', value: ['rep-2', 'rep-3'] } },
        ],
      }),
    ).toEqual(sorted(a, b, c));
    expect(
      await ids(admin, {
        field: 'created_at',
        op: 'within_last',
        value: { amount: 1, unit: 'hours' },
      }),
    ).toEqual(sorted(a, b, c));
    expect(await ids(admin, { field: 'owner_id', op: 'eq', value: 'rep-1' }, '&stage=new')).toEqual(
      sorted(a, c),
    );
    expect(sorted(other)).not.toEqual(
      await ids(admin, { field: 'first_name', op: 'eq', value: 'ann' }),
    );

    // The evaluator over the customers as the API returns them agrees with the SQL.
    const { catalog } = await new CustomerFilter(new CustomFieldsRepository()).catalog(
      svc.kit.database.db,
      tenant,
    );
    const everyone = (await api(svc.url).as(admin).get<Page<Customer>>('/crm/customers?limit=200'))
      .body.data;
    const filters: FilterNode[] = [
      { field: 'city', op: 'contains', value: 'BERLIN' },
      { field: 'tags', op: 'not_contains', value: 'gold' },
      { field: 'custom.colours', op: 'contains', value: 'RED' },
      { field: 'custom.shoe_size', op: 'lt', value: 40 },
      { not: { field: 'custom.shoe_size', op: 'lt', value: 40 } },
      { field: 'assigned_to', op: 'in', value: ['rep-9', 'rep-2'] },
      { field: 'birthday', op: 'is_set' },
      { field: 'company_name', op: 'starts_with', value: '100%' },
      {
        or: [
          { field: 'vip_status', op: 'eq', value: false },
          { field: 'collaborator_ids', op: 'is_set' },
        ],
      },
    ];
    for (const filter of filters) {
      const expected = everyone
        .filter((c) => evaluateFilter(filter, filterRecordOf(c), { now: new Date(), catalog }))
        .map((c) => c.id)
        .sort();
      expect(await ids(admin, filter), JSON.stringify(filter)).toEqual(expected);
    }

    // A new definition is filterable at once.
    await defineField(admin, { field_name: 'member', field_type: 'boolean' });
    expect(await ids(admin, { field: 'custom.member', op: 'is_set' })).toEqual([]);
  });

  it('keeps to what the caller may see: manager own and team, staff and sales rep assigned, customer refused', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const mine = await customer(admin, { owner_id: 'rep-1', first_name: 'Zed' });
    const shared = await customer(admin, {
      owner_id: 'rep-2',
      collaborator_ids: ['rep-1'],
      first_name: 'Zed',
    });
    const team = await customer(admin, { owner_id: 'rep-3', team_id: 'team-a', first_name: 'Zed' });
    const elsewhere = await customer(admin, { owner_id: 'rep-4', first_name: 'Zed' });
    const zed = { field: 'first_name', op: 'eq', value: 'Zed' };

    expect(await ids(admin, zed)).toEqual(sorted(mine, shared, team, elsewhere));
    const manager = await tokenFor(tenant, 'manager', { sub: 'rep-1', teams: ['team-a'] });
    expect(await ids(manager, zed)).toEqual(sorted(mine, shared, team));
    for (const role of ['staff', 'sales_rep'] as const) {
      const t = await tokenFor(tenant, role, { sub: 'rep-1' });
      expect(await ids(t, zed)).toEqual(sorted(mine, shared));
      expect(await ids(t, { field: 'assigned_to', op: 'contains', value: '@me' })).toEqual(
        sorted(mine, shared),
      );
      expect(await ids(t, { field: 'owner_id', op: 'eq', value: '@me' })).toEqual(sorted(mine));
    }
    expect(await ids(await tokenFor(newTenant(), 'admin'), zed)).toEqual([]);
    // The list is for staff; a customer reads their own profile at /crm/me.
    const self = await tokenFor(tenant, 'customer', { sub: mine.id });
    expect((await api(svc.url).as(self).request('GET', listPath(zed))).status).toBe(403);
    expect((await api(svc.url).request('GET', listPath(zed))).status).toBe(401);
  });

  it('pages through a filtered list with the sort and cursor', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const made: Customer[] = [];
    for (let i = 0; i < 5; i += 1)
      made.push(await customer(admin, { job_title: i % 2 ? 'Chef' : 'Cook' }));
    const cooks = made.filter((c) => c.job_title === 'Cook');
    const seen: string[] = [];
    let path = `/crm/customers?limit=2&sort=last_name&filter=${encodeURIComponent(JSON.stringify({ field: 'job_title', op: 'eq', value: 'cook' }))}`;
    for (;;) {
      const r = await api(svc.url).as(admin).get<Page<Customer>>(path);
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((c) => c.id));
      if (!r.body.next_cursor) break;
      path = `${path.replace(/&cursor=.*$/, '')}&cursor=${encodeURIComponent(r.body.next_cursor)}`;
    }
    expect(seen).toEqual(
      [...cooks].sort((x, y) => x.last_name.localeCompare(y.last_name)).map((c) => c.id),
    );
  });

  it('answers 400 for malformed JSON and 422 naming the bad leaf', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await defineField(admin, { field_name: 'secret', field_type: 'text', is_sensitive: true });
    const malformed = await api(svc.url)
      .as(admin)
      .get<Problem>(`/crm/customers?filter=${encodeURIComponent('{"and": [')}`);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');

    let deep: unknown = { field: 'vip_status', op: 'eq', value: true };
    for (let i = 0; i < 12; i += 1) deep = { not: deep };
    const cases: [unknown, string, string][] = [
      [
        { and: [{ field: 'nope', op: 'eq', value: 1 }] },
        'query.filter.and.0.field',
        'unknown_field',
      ],
      [
        {
          or: [
            { field: 'vip_status', op: 'eq', value: true },
            { field: 'vip_status', op: 'contains', value: 'x' },
          ],
        },
        'query.filter.or.1.op',
        'op_not_allowed',
      ],
      [{ field: 'birthday', op: 'eq', value: '31.12.1990' }, 'query.filter.value', 'invalid_value'],
      [
        {
          field: 'created_at',
          op: 'between',
          value: ['2025-02-01T00:00:00Z', '2025-01-01T00:00:00Z'],
        },
        'query.filter.value',
        'invalid_value',
      ],
      [{ field: 'first_name', op: 'like', value: 'a' }, 'query.filter.op', 'unknown_op'],
      [
        { field: 'first_name', op: 'eq', value: 'a', extra: 1 },
        'query.filter.extra',
        'unrecognized_key',
      ],
      [{ and: [] }, 'query.filter.and', 'invalid_group'],
      [
        { not: { fact: 'bookings', count: { op: 'gte', value: 2 } } },
        'query.filter.not.fact',
        'unsupported',
      ],
      [
        { field: 'customer_stage', op: 'changed_to', value: 'lead' },
        'query.filter.op',
        'unsupported',
      ],
      [{ field: 'custom.secret', op: 'is_set' }, 'query.filter.field', 'unknown_field'],
      [deep, `query.filter${'.not'.repeat(9)}`, 'too_deep'],
    ];
    for (const [filter, field, code] of cases) {
      const r = await api(svc.url).as(admin).get<Problem>(listPath(filter));
      expect(r.status, JSON.stringify(filter)).toBe(422);
      expect(r.body.errors, JSON.stringify(r.body)).toContainEqual(
        expect.objectContaining({ field, code }),
      );
    }
    const nul = await api(svc.url)
      .as(admin)
      .get<Problem>(listPath({ field: 'city', op: 'eq', value: 'a\u0000' }));
    expect(nul.status).toBe(422);
    expect(nul.body.errors?.[0]?.field).toBe('query.filter.value');
    // Edges of the calendar answer, never 500.
    for (const edge of [
      { field: 'created_at', op: 'within_last', value: { amount: 100_000, unit: 'years' } },
      { field: 'birthday', op: 'within_last', value: { amount: 100_000, unit: 'months' } },
      { field: 'birthday', op: 'before_date', value: '0001-01-01' },
      { field: 'updated_at', op: 'after_date', value: '9999-12-30' },
    ]) {
      expect((await api(svc.url).as(admin).get(listPath(edge))).status).toBe(200);
    }
    expect(
      (
        await api(svc.url)
          .as(admin)
          .get(listPath({ field: 'birthday', op: 'lt', value: '0000-01-01' }))
      ).status,
    ).toBe(422);
    const long = await api(svc.url)
      .as(admin)
      .get(`/crm/customers?filter=${'x'.repeat(9000)}`);
    expect(long.status).toBe(422);
  });
});

describe('random filters through HTTP', () => {
  it('answer 200 or a 4xx problem, never 500', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await defineField(admin, { field_name: 'size', field_type: 'decimal' });
    await customer(admin, { birthday: '1992-02-29', custom_fields: { size: 1.5 } });
    const fields = [
      'first_name',
      'vip_status',
      'birthday',
      'created_at',
      'tags',
      'custom.size',
      'owner_id',
      'nope',
    ];
    const ops = [
      'eq',
      'neq',
      'lt',
      'gte',
      'between',
      'in',
      'not_in',
      'contains',
      'starts_with',
      'is_set',
      'within_last',
      'before_date',
      'after_date',
      'anniversary_in',
      'changed_to',
      'like',
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom(
        '2024-02-29',
        '0001-01-01',
        '9999-12-30',
        '2025-01-01T00:00:00Z',
        '@me',
        '%_',
      ),
      fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }),
      fc.record({
        amount: fc.integer({ min: -1, max: 200_000 }),
        unit: fc.constantFrom('days', 'months', 'years', 'eons'),
      }),
      fc.record({ days: fc.integer({ min: -1, max: 400 }) }),
    );
    const anyLeaf = fc.record(
      { field: fc.constantFrom(...fields), op: fc.constantFrom(...ops), value },
      { requiredKeys: ['field', 'op'] },
    );
    // Well-typed leaves too, so about half the filters reach the SQL.
    const typedLeaf = fc.oneof(
      fc.record({
        field: fc.constant('first_name'),
        op: fc.constantFrom('eq', 'neq', 'contains', 'starts_with'),
        value: fc.string({ minLength: 1, maxLength: 5 }),
      }),
      fc.record({
        field: fc.constant('custom.size'),
        op: fc.constantFrom('lt', 'gte', 'eq', 'neq'),
        value: fc.double({ noNaN: true, noDefaultInfinity: true }),
      }),
      fc.record({
        field: fc.constantFrom('birthday', 'created_at'),
        op: fc.constant('anniversary_in'),
        value: fc.record({ days: fc.integer({ min: 0, max: 365 }) }),
      }),
      fc.record({
        field: fc.constantFrom('birthday', 'created_at'),
        op: fc.constant('within_last'),
        value: fc.record({
          amount: fc.integer({ min: 1, max: 100_000 }),
          unit: fc.constantFrom('minutes', 'hours', 'days', 'weeks', 'months', 'years'),
        }),
      }),
      fc.record({
        field: fc.constantFrom('tags', 'assigned_to'),
        op: fc.constantFrom('in', 'not_in'),
        value: fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ field: fc.constant('vip_status'), op: fc.constant('eq'), value: fc.boolean() }),
    );
    const leaf = fc.oneof(anyLeaf, typedLeaf);
    const node = fc.oneof(
      leaf,
      fc.array(leaf, { maxLength: 3 }).map((and) => ({ and })),
      leaf.map((not) => ({ not })),
    );
    const answered = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(node, async (filter) => {
        const r = await api(svc.url).as(admin).get<Problem>(listPath(filter));
        expect([200, 422], JSON.stringify(filter)).toContain(r.status);
        answered[r.status === 200 ? 'ok' : 'refused'] += 1;
        if (r.status === 422) expect(r.body.errors?.[0]?.field).toMatch(/^query\.filter/);
      }),
      { numRuns: 150 },
    );
    // Both kinds occur, so the property exercised the SQL as well as the validation.
    expect(answered.ok).toBeGreaterThan(20);
    expect(answered.refused).toBeGreaterThan(20);
  }, 60_000);
});

describe('POST /crm/customers/query', () => {
  it('takes filters too long for a URL, with the same access, paging and errors', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const a = await customer(admin, { owner_id: 'rep-1', job_title: 'Pilot' });
    const b = await customer(admin, { owner_id: 'rep-2', job_title: 'Pilot' });
    await customer(admin, { owner_id: 'rep-1', job_title: 'Sailor' });
    const many = Array.from({ length: 450 }, (_, i) => `A job title, number ${i}`);
    const filter = { field: 'job_title', op: 'in', value: [...many, 'pilot'] };
    expect(JSON.stringify(filter).length).toBeGreaterThan(8000);
    const query = (token: string, body: unknown) =>
      api(svc.url).as(token).post<Page<Customer> & Problem>('/crm/customers/query', body);

    const all = await query(admin, { filter, sort: 'last_name', limit: 1 });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.data).toHaveLength(1);
    const next = await query(admin, {
      filter,
      sort: 'last_name',
      limit: 1,
      cursor: all.body.next_cursor,
    });
    expect([...all.body.data, ...next.body.data].map((c) => c.id).sort()).toEqual(sorted(a, b));
    expect(next.body.next_cursor).toBeNull();

    const rep = await tokenFor(tenant, 'staff', { sub: 'rep-1' });
    expect((await query(rep, { filter })).body.data.map((c) => c.id)).toEqual([a.id]);
    const self = await query(await tokenFor(tenant, 'customer', { sub: b.id }), { filter });
    expect(self.status).toBe(403);
    expect((await query(await tokenFor(newTenant(), 'admin'), { filter })).body.data).toEqual([]);
    expect((await api(svc.url).post('/crm/customers/query', { filter })).status).toBe(401);

    const bad = await query(admin, { filter: { and: [{ field: 'nope', op: 'is_set' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toContainEqual(
      expect.objectContaining({ field: 'filter.and.0.field', code: 'unknown_field' }),
    );
    expect((await query(admin, { filter, status: 'active' })).status).toBe(422);
    expect((await query(admin, {})).body.data.map((c) => c.id)).toHaveLength(3);
  });
});

describe('bulk actions on a filter', () => {
  it('tags, stages and assigns every matching customer the caller may change, one event each', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await api(svc.url).as(admin).post('/crm/tags', { name: 'Spring' });
    const a = await customer(admin, { job_title: 'Florist', owner_id: 'rep-1' });
    const b = await customer(admin, {
      job_title: 'florist',
      owner_id: 'rep-1',
      customer_stage: 'lead',
    });
    const c = await customer(admin, { job_title: 'Florist', owner_id: 'rep-2' });
    await customer(admin, { job_title: 'Baker', owner_id: 'rep-1' });
    const florists = { field: 'job_title', op: 'eq', value: 'Florist' };
    const listener = await bus.listen('crm.events', 'crm.customer.#');

    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' });
    const staged = await api(svc.url)
      .as(rep)
      .post<BulkResult>('/crm/customers/bulk/stage', { filter: florists, customer_stage: 'lead' });
    expect(staged.status, JSON.stringify(staged.body)).toBe(200);
    expect(staged.body).toEqual({ updated: [a.id], unchanged: [b.id], not_found: [], matched: 2 });

    const tagged = await api(svc.url)
      .as(admin)
      .post<BulkResult>('/crm/customers/bulk/tags', { filter: florists, add: ['Spring'] });
    expect(tagged.body.matched).toBe(3);
    expect(tagged.body.updated.sort()).toEqual(sorted(a, b, c));
    const again = await api(svc.url)
      .as(admin)
      .post<BulkResult>('/crm/customers/bulk/tags', {
        filter: { field: 'tags', op: 'contains', value: 'spring' },
        add: ['Spring'],
      });
    expect(again.body.updated).toEqual([]);
    expect(again.body.unchanged.sort()).toEqual(sorted(a, b, c));

    const manager = await tokenFor(tenant, 'manager', { sub: 'rep-1' });
    const assigned = await api(svc.url)
      .as(manager)
      .post<BulkResult>('/crm/customers/bulk/assign', {
        filter: florists,
        team_id: 'team-f',
        add_collaborators: ['rep-7'],
      });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.updated.sort()).toEqual(sorted(a, b));
    const after = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${a.id}`);
    expect(after.body.team_id).toBe('team-f');
    expect(after.body.collaborator_ids).toEqual(['rep-7']);
    const removed = await api(svc.url)
      .as(admin)
      .post<BulkResult>('/crm/customers/bulk/assign', {
        customer_ids: [a.id, c.id],
        remove_collaborators: ['rep-7'],
      });
    expect(removed.body).toEqual({ updated: [a.id], unchanged: [c.id], not_found: [] });

    const events = await stageAndAssignmentChanges(listener, tenant, 4);
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ['crm.customer.stage_changed.v1', a.id],
      ...[a.id, b.id].sort().map((id) => ['crm.customer.assignment.changed.v1', id]),
      ['crm.customer.assignment.changed.v1', a.id],
    ]);
    await listener.close();
  });

  it('refuses both or neither target, bad filters, roles that may not act, and too many matches', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const a = await customer(admin, { job_title: 'Smith' });
    const smiths = { field: 'job_title', op: 'eq', value: 'Smith' };
    const post = (path: string, token: string, body: unknown) =>
      api(svc.url).as(token).post<Problem>(`/crm/customers/bulk/${path}`, body);

    expect(
      (await post('stage', admin, { customer_ids: [a.id], filter: smiths, customer_stage: 'lead' }))
        .status,
    ).toBe(422);
    expect((await post('stage', admin, { customer_stage: 'lead' })).status).toBe(422);
    const bad = await post('tags', admin, {
      filter: { and: [{ field: 'nope', op: 'is_set' }] },
      add: ['x'],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toContainEqual(
      expect.objectContaining({ field: 'filter.and.0.field', code: 'unknown_field' }),
    );
    const shape = await post('assign', admin, {
      filter: { field: 'owner_id', op: 'eq' },
      owner_id: 'x',
    });
    expect(shape.status).toBe(422);
    expect(shape.body.errors?.[0]?.field).toMatch(/^filter/);

    expect(
      (
        await post('stage', await tokenFor(tenant, 'staff'), {
          filter: smiths,
          customer_stage: 'lead',
        })
      ).status,
    ).toBe(403);
    expect(
      (await post('assign', await tokenFor(tenant, 'sales_rep'), { filter: smiths, owner_id: 'x' }))
        .status,
    ).toBe(403);
    expect(
      (
        await post('tags', await tokenFor(tenant, 'customer', { sub: a.id }), {
          filter: smiths,
          add: ['x'],
        })
      ).status,
    ).toBe(403);
    const foreign = await post('stage', await tokenFor(newTenant(), 'admin'), {
      filter: smiths,
      customer_stage: 'lead',
    });
    expect(foreign.status).toBe(200);
    expect(foreign.body).toMatchObject({ updated: [], matched: 0 });

    // One more than the limit: refused whole, nothing changed.
    const big = newTenant();
    await svc.kit.database.db.execute(sql`
      INSERT INTO profiles.customers (tenant_id, id, first_name, job_title, customer_stage)
      SELECT ${big}::uuid, gen_random_uuid(), 'Bulk', 'Mass', 'new' FROM generate_series(1, ${MAX_BULK_FILTER_MATCHES + 1}::int)`);
    const bigAdmin = await tokenFor(big, 'admin');
    const mass = { field: 'job_title', op: 'eq', value: 'Mass' };
    const tooMany = await post('stage', bigAdmin, { filter: mass, customer_stage: 'lead' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors).toContainEqual(
      expect.objectContaining({ field: 'filter', code: 'too_many_matches' }),
    );
    expect(
      await ids(bigAdmin, { and: [mass, { field: 'customer_stage', op: 'eq', value: 'lead' }] }),
    ).toEqual([]);
  });
});
