import type { Customer, Problem, SearchPage } from '@crm/contracts';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  api,
  buildCustomer,
  newTenant,
  testDatabaseUrl,
  tokenFor,
  useService,
  waitFor,
} from '@crm/testing';
import { profilesService } from '../src/service.js';

const svc = useService(profilesService);

async function search(token: string, query: string) {
  return api(svc.url).as(token).get<SearchPage>(`/crm/search?${query}`);
}

async function names(token: string, query: string): Promise<string[]> {
  const r = await search(token, query);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.map((h) => `${h.first_name} ${h.last_name}`);
}

async function people(admin: string) {
  const make = async (body: Record<string, unknown>) => {
    const r = await api(svc.url).as(admin).post<Customer>('/crm/customers', buildCustomer(body));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const ada = await make({
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada.lovelace@example.com',
    phone: '+44 20 7946 0001',
    company_name: 'Analytical Engines',
    vip_status: true,
    owner_id: 'staff-1',
  });
  const grace = await make({
    first_name: 'Grace',
    last_name: 'Hopper',
    email: 'grace@navy.example',
    phone: '+1 202 555 0143',
    company_name: 'Navy',
    owner_id: 'staff-2',
  });
  const alan = await make({
    first_name: 'Alan',
    last_name: 'Turing',
    email: 'alan@bletchley.example',
    phone: '+44 20 7946 0002',
    customer_status: 'inactive',
    owner_id: 'staff-1',
  });
  return { ada, grace, alan };
}

describe('search on Postgres', () => {
  it('finds by prefix, by typo, exactly by email and phone, and follows changes within a second', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const { ada, grace } = await people(admin);
    await waitFor(async () => (await names(admin, 'q=hopper')).length === 1, { what: 'indexing' });

    expect(await names(admin, 'q=lov')).toEqual(['Ada Lovelace']);
    expect(await names(admin, 'q=ada%20lov')).toEqual(['Ada Lovelace']);
    expect(await names(admin, 'q=Lovelce')).toEqual(['Ada Lovelace']);
    expect(await names(admin, 'q=hoper')).toEqual(['Grace Hopper']);
    expect(await names(admin, 'q=analytical')).toEqual(['Ada Lovelace']);
    expect(await names(admin, 'q=ADA.LOVELACE%40EXAMPLE.COM')).toEqual(['Ada Lovelace']);
    expect(await names(admin, 'q=ada.lovelace%40example')).toEqual([]);
    expect(await names(admin, `q=${encodeURIComponent('+1 (202) 555-0143')}`)).toEqual([
      'Grace Hopper',
    ]);
    expect(await names(admin, 'q=zebra')).toEqual([]);

    const r = await search(admin, 'q=example');
    expect(r.body.engine).toBe('postgres');

    // A change is searchable shortly after it committed: the index follows the events.
    const started = Date.now();
    await api(svc.url).as(admin).patch(`/crm/customers/${grace.id}`, { last_name: 'Brewster' });
    await waitFor(async () => (await names(admin, 'q=brewster')).length === 1, {
      what: 'reindex',
      intervalMs: 20,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await names(admin, 'q=hopper')).toEqual([]);

    await api(svc.url).as(admin).post('/crm/tags', { name: 'Pioneer' });
    await api(svc.url)
      .as(admin)
      .post(`/crm/customers/${ada.id}/tags`, { add: ['Pioneer'] });
    await waitFor(async () => (await names(admin, 'q=pioneer')).length === 1, {
      what: 'tag indexing',
    });
  });

  it('ranks prefix matches above typo matches, which fill the page only after them', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    for (const body of [
      { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
      // A prefix match through the email only: its name is nothing like the query.
      { first_name: 'Bob', last_name: 'Smith', email: 'lovelaceworks@example.com' },
      // Not a prefix match, but a name closer to "lovelace" than Bob Smith's.
      { first_name: 'Cy', last_name: 'Lovelaze', email: 'cy@example.com' },
    ]) {
      const r = await api(svc.url).as(admin).post('/crm/customers', buildCustomer(body));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    await waitFor(async () => (await names(admin, 'q=example')).length === 3, { what: 'indexing' });

    expect(await names(admin, 'q=lovelace')).toEqual(['Ada Lovelace', 'Bob Smith', 'Cy Lovelaze']);
    // No prefix matches at all: the typo matches alone.
    expect((await names(admin, 'q=lovelase')).sort()).toEqual(['Ada Lovelace', 'Cy Lovelaze']);
    expect(await names(admin, 'q=lovelase&status=inactive')).toEqual([]);
    expect(await names(admin, 'q=lovelace&sort=last_name')).toEqual([
      'Ada Lovelace',
      'Cy Lovelaze',
      'Bob Smith',
    ]);

    // Pages run through the prefix matches into the typo matches, each customer once.
    const paged: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const r: Awaited<ReturnType<typeof search>> = await search(
        admin,
        `q=lovelace&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      paged.push(...r.body.data.map((h) => h.first_name));
      cursor = r.body.next_cursor;
    }
    expect(paged).toEqual(['Ada', 'Bob', 'Cy']);
    const second = await search(admin, 'q=lovelace&limit=2');
    const rest = await search(
      admin,
      `q=lovelace&limit=2&cursor=${encodeURIComponent(second.body.next_cursor ?? '')}`,
    );
    expect(rest.body.data.map((h) => h.first_name)).toEqual(['Cy']);
    expect(rest.body.next_cursor).toBeNull();
  });

  it('matches every word of a query to a part of a name, accents folded and hyphenated parts each a word', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    for (const [first_name, last_name, email] of [
      ['Zoë', 'Müller-Łukasz', 'p1@example.org'],
      ['Zoe', 'Smith', 'p2@example.org'],
      ['Hans', 'Müller', 'p3@example.org'],
      ['José', 'Núñez-García', 'p4@example.org'],
      ['Søren', 'Kierkegaard', 'p5@example.org'],
    ] as const) {
      const r = await api(svc.url)
        .as(admin)
        .post('/crm/customers', buildCustomer({ first_name, last_name, email }));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    await waitFor(async () => (await names(admin, 'q=example')).length === 5, { what: 'indexing' });
    const found = async (q: string) => (await names(admin, `q=${encodeURIComponent(q)}`)).sort();

    // Every word matches some part of the name, whatever the accents and the case.
    expect(await found('zoe muller')).toEqual(['Zoë Müller-Łukasz']);
    expect(await found('ZOË MÜLLER')).toEqual(['Zoë Müller-Łukasz']);
    expect(await found('muller zoe')).toEqual(['Zoë Müller-Łukasz']);
    expect(await found('zoe lukasz')).toEqual(['Zoë Müller-Łukasz']);
    expect(await found('Müller-Łukasz')).toEqual(['Zoë Müller-Łukasz']);
    expect(await found('Zoe')).toEqual(['Zoe Smith', 'Zoë Müller-Łukasz']);
    expect(await found('muller')).toEqual(['Hans Müller', 'Zoë Müller-Łukasz']);
    expect(await found('soren kierkegaard')).toEqual(['Søren Kierkegaard']);
    expect(await found('jose nunez garcia')).toEqual(['José Núñez-García']);
    // A word matching nobody's name leaves nobody, though another word matches many.
    expect(await found('zoe smith')).toEqual(['Zoe Smith']);
    expect(await found('zoe xyzzy')).toEqual([]);
    expect(await found('hans lukasz')).toEqual([]);

    // A last-name prefix, of either part of a hyphenated name.
    expect(await found('mül')).toEqual(['Hans Müller', 'Zoë Müller-Łukasz']);
    expect(await found('luk')).toEqual(['Zoë Müller-Łukasz']);
    expect(await found('garc')).toEqual(['José Núñez-García']);
    expect(await found('jose nun')).toEqual(['José Núñez-García']);

    // One typo in a word, the other words exact.
    expect(await found('zoe mulker')).toEqual(['Zoë Müller-Łukasz']);
    expect(await found('zoe lukasx')).toEqual(['Zoë Müller-Łukasz']);
    // One letter changed inside a five-letter word leaves it 0.33 like the name's word.
    expect(await found('zoe smxth')).toEqual(['Zoe Smith']);
    expect(await found('jose garcis')).toEqual(['José Núñez-García']);
    expect(await found('kierkegsard')).toEqual(['Søren Kierkegaard']);
  });

  it('leads every index with the tenant, and reads each kind of query from the index meant for it', async () => {
    const db = svc.kit.database.db;
    const indexes = await db.execute<{ name: string; first: string; def: string }>(sql`
      SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid, 1, true) AS first,
             pg_get_indexdef(indexrelid) AS def
        FROM pg_index WHERE indrelid = 'profiles.search_documents'::regclass`);
    expect(indexes.rows.length).toBeGreaterThanOrEqual(8);
    for (const index of indexes.rows) expect(index.first, index.name).toBe('tenant_id');
    expect(indexes.rows.find((i) => i.name.endsWith('tenant_names_idx'))?.def).toMatch(
      /USING gin \(tenant_id, names profiles\.gin_trgm_ops\) WITH \(fastupdate='false'\)/,
    );

    // A tenant large enough that reading all of it through the tenant alone costs more than
    // the index meant for the query; documents written directly, then VACUUM ANALYZE for the
    // statistics and to empty the GIN indexes' pending lists, as autovacuum would.
    const tenant = newTenant();
    await db.execute(sql`
      INSERT INTO profiles.search_documents (tenant_id, customer_id, names, doc, email, phone,
             phones, first_name, last_name, customer_status, customer_stage, vip_status, tags,
             collaborator_ids, version, updated_at)
      SELECT ${tenant}, gen_random_uuid(), n, to_tsvector('simple', n), 'c' || i || '@example.org',
             p, ARRAY[p], 'Given' || i, 'Family' || i, 'active', 'new', false, '{}', '{}', 1, now()
        FROM generate_series(1, 5000) i,
             LATERAL (SELECT 'given' || i || ' family' || i AS n, '+4930' || (900000 + i) AS p) v`);
    const analyzer = new pg.Client({ connectionString: testDatabaseUrl() });
    await analyzer.connect();
    try {
      await analyzer.query('VACUUM ANALYZE profiles.search_documents');
    } finally {
      await analyzer.end();
    }
    const planOf = (query: SQL) =>
      db.transaction(async (tx) => {
        // The other tests' tables are small, so the planner is told to stay off a scan of them.
        await tx.execute(sql`SET LOCAL enable_seqscan = off`);
        const r = await tx.execute<{ 'QUERY PLAN': string }>(sql`EXPLAIN (COSTS OFF) ${query}`);
        return r.rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    const from = sql`SELECT customer_id, names FROM profiles.search_documents WHERE tenant_id = ${tenant}`;
    const kinds: [string, SQL, RegExp][] = [
      [
        'prefix',
        sql`${from} AND doc @@ to_tsquery('simple', 'zoe:* & mul:*') LIMIT 1000`,
        /Bitmap Index Scan on search_documents_tenant_doc_idx\s+Index Cond: \(\(tenant_id = /,
      ],
      [
        'typo',
        sql`SELECT customer_id FROM (${from} AND 'zoe' OPERATOR(profiles.<%) names
              AND 'mulker' OPERATOR(profiles.<%) names LIMIT 1000) typos
            ORDER BY 'zoe mulker' OPERATOR(profiles.<<->) names, customer_id LIMIT 21`,
        /Bitmap Index Scan on search_documents_tenant_names_idx\s+Index Cond: \(\(tenant_id = /,
      ],
      [
        'email',
        sql`${from} AND email = 'zoe@example.org' LIMIT 1000`,
        /Index Scan using search_documents_email_idx on search_documents\s+Index Cond: \(\(tenant_id = /,
      ],
      [
        'phone',
        sql`${from} AND phones @> ARRAY['+4930901820']::text[] LIMIT 1000`,
        /Bitmap Index Scan on search_documents_tenant_phones_idx\s+Index Cond: \(\(tenant_id = /,
      ],
    ];
    for (const [kind, query, expected] of kinds) {
      const plan = await planOf(query);
      expect(plan, `${kind}:\n${plan}`).toMatch(expected);
    }
  });

  it('filters on status, stage, VIP and tags, sorts, and pages with a cursor', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const { alan } = await people(admin);
    await waitFor(async () => (await names(admin, 'q=turing')).length === 1, { what: 'indexing' });
    expect(await names(admin, 'q=example&vip=true')).toEqual(['Ada Lovelace']);
    expect(await names(admin, 'q=example&status=inactive')).toEqual(['Alan Turing']);
    expect(await names(admin, 'q=example&stage=new&sort=last_name')).toEqual([
      'Grace Hopper',
      'Ada Lovelace',
      'Alan Turing',
    ]);
    await api(svc.url).as(admin).post('/crm/tags', { name: 'Codebreaker' });
    await api(svc.url)
      .as(admin)
      .post(`/crm/customers/${alan.id}/tags`, { add: ['Codebreaker'] });
    await waitFor(async () => (await names(admin, 'q=example&tags=Codebreaker')).length === 1, {
      what: 'tags',
    });

    const first = await search(admin, 'q=example&sort=-last_name&limit=2');
    expect(first.body.data.map((h) => h.last_name)).toEqual(['Turing', 'Lovelace']);
    const second = await search(
      admin,
      `q=example&sort=-last_name&limit=2&cursor=${encodeURIComponent(first.body.next_cursor ?? '')}`,
    );
    expect(second.body.data.map((h) => h.last_name)).toEqual(['Hopper']);
    expect(second.body.next_cursor).toBeNull();
  });

  it('shows each role only what it may see and refuses bad queries', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const { ada } = await people(admin);
    await waitFor(async () => (await names(admin, 'q=example')).length === 3, { what: 'indexing' });
    const staff = await tokenFor(tenant, 'staff', { sub: 'staff-1' });
    expect((await names(staff, 'q=example&sort=last_name')).sort()).toEqual([
      'Ada Lovelace',
      'Alan Turing',
    ]);
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-9' });
    expect(await names(rep, 'q=example')).toEqual([]);
    await api(svc.url)
      .as(admin)
      .patch(`/crm/customers/${ada.id}`, { collaborator_ids: ['rep-9'] });
    await waitFor(async () => (await names(rep, 'q=example')).length === 1, {
      what: 'collaborator indexing',
    });
    const manager = await tokenFor(tenant, 'manager', { sub: 'staff-2' });
    expect(await names(manager, 'q=example')).toEqual(['Grace Hopper']);
    const stranger = await tokenFor(newTenant(), 'admin');
    expect(await names(stranger, 'q=example')).toEqual([]);
    expect(await names(stranger, 'q=ada.lovelace%40example.com')).toEqual([]);
    const self = await tokenFor(tenant, 'customer', { sub: ada.id });
    expect((await search(self, 'q=example')).status).toBe(403);

    for (const [query, field] of [
      ['', 'query.q'],
      ['q=', 'query.q'],
      ['q=%2B%2B%2B', 'query.q'],
      [`q=${'x'.repeat(201)}`, 'query.q'],
      ['q=example&vip=maybe', 'query.vip'],
      ['q=example&sort=email', 'query.sort'],
      ['q=example&limit=500', 'query.limit'],
      ['q=example&owner=me', 'query.owner'],
    ] as const) {
      const r = await api(svc.url).as(admin).get<Problem>(`/crm/search?${query}`);
      expect(r.status, query).toBe(422);
      expect(
        r.body.errors?.map((e) => e.field),
        query,
      ).toContain(field);
    }
    const forged = Buffer.from(JSON.stringify(['offset', -5])).toString('base64url');
    for (const cursor of ['nope', forged]) {
      const r = await api(svc.url)
        .as(admin)
        .request<Problem>('GET', `/crm/search?q=example&cursor=${cursor}`);
      expect(r.status, cursor).toBe(400);
      expect(r.body.code, cursor).toBe('invalid_cursor');
    }
  });

  it('does not index sensitive custom fields, and indexes the others', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    for (const body of [
      { field_name: 'passport', field_label: 'Passport', field_type: 'text', is_sensitive: true },
      { field_name: 'hobby', field_label: 'Hobby', field_type: 'text' },
    ]) {
      await api(svc.url).as(admin).post('/crm/custom-fields', body);
    }
    await api(svc.url)
      .as(admin)
      .post(
        '/crm/customers',
        buildCustomer({
          first_name: 'Mary',
          custom_fields: { passport: 'ZX998877', hobby: 'Origami' },
        }),
      );
    await waitFor(async () => (await names(admin, 'q=origami')).length === 1, {
      what: 'custom text',
    });
    expect(await names(admin, 'q=ZX998877')).toEqual([]);
  });
});
