import { randomUUID } from 'node:crypto';
import {
  bookingxCustomerId,
  type Customer,
  type CustomerImport,
  type ImportRowError,
  type Page,
  type Problem,
  type Role,
} from '@crm/contracts';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { api, newTenant, tokenFor, useBus, useService, waitFor } from '@crm/testing';
import { profilesService } from '../src/service.js';
import { verifyAuditChain } from '../src/domain/audit/verify-audit-chain.js';

const MAX_BYTES = 64 * 1024;
const svc = useService(profilesService, {
  env: {
    IMPORT_MAX_BYTES: String(MAX_BYTES),
    IMPORT_BATCH_SIZE: '4',
  },
});
const bus = useBus();

interface Upload {
  status: number;
  headers: Headers;
  body: CustomerImport & Partial<Omit<Problem, 'status'>>;
}

async function upload(
  token: string,
  csv: string | Buffer,
  options: { mapping?: Record<string, string>; [key: string]: unknown } = {},
  contentType = 'text/csv',
): Promise<Upload> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const res = await fetch(`${svc.url}/crm/customers/imports?${params.toString()}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: csv,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Upload['body'] };
}

async function finished(token: string, id: string): Promise<CustomerImport> {
  return waitFor(
    async () => {
      const r = await api(svc.url).as(token).get<CustomerImport>(`/crm/customers/imports/${id}`);
      return r.body.status === 'completed' || r.body.status === 'failed' ? r.body : undefined;
    },
    { timeoutMs: 30_000, what: `import ${id} to finish` },
  );
}

async function importAndWait(
  token: string,
  csv: string,
  options: { mapping: Record<string, string>; [key: string]: unknown },
): Promise<CustomerImport> {
  const started = await upload(token, csv, options);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.get('location')).toBe(`/crm/customers/imports/${started.body.id}`);
  return finished(token, started.body.id);
}

async function errorsOf(token: string, id: string): Promise<ImportRowError[]> {
  const all: ImportRowError[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${cursor}` : '';
    const page = await api(svc.url)
      .as(token)
      .get<Page<ImportRowError>>(`/crm/customers/imports/${id}/errors?limit=2${q}`);
    expect(page.status).toBe(200);
    all.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return all;
}

async function customerByEmail(token: string, email: string): Promise<Customer[]> {
  const r = await api(svc.url)
    .as(token)
    .get<Page<Customer>>(`/crm/customers?email=${encodeURIComponent(email)}`);
  return r.body.data;
}

/** A count read straight from the database. */
async function countOf(query: string, params: unknown[]): Promise<number> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(query, params);
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

function countCustomers(tenant: string): Promise<number> {
  return countOf('SELECT count(*)::int AS n FROM profiles.customers WHERE tenant_id = $1', [
    tenant,
  ]);
}

/** Audit entries of the tenant whose customer does not exist (a row that was undone). */
function orphanAuditEntries(tenant: string): Promise<number> {
  return countOf(
    `SELECT count(*)::int AS n FROM profiles.audit_log a
      WHERE a.tenant_id = $1
        AND NOT EXISTS (SELECT 1 FROM profiles.customers c
                         WHERE c.tenant_id = a.tenant_id AND c.id = a.customer_id)`,
    [tenant],
  );
}

const MAPPING = {
  'First Name': 'first_name',
  Surname: 'last_name',
  'E-mail': 'email',
  Mobile: 'phone',
  Hobby: 'custom.hobby',
  'Shoe size': 'custom.shoe_size',
  Labels: 'tags',
  'BookingX ID': 'external_ref',
  VIP: 'vip_status',
  City: 'city',
};
const HEADER =
  'First Name,Surname,E-mail,Mobile,Hobby,Shoe size,Labels,BookingX ID,VIP,City,Ignored';

async function tenantWithFields(): Promise<{ tenant: string; admin: string }> {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin');
  for (const body of [
    { field_name: 'hobby', field_label: 'Hobby', field_type: 'text' },
    { field_name: 'shoe_size', field_label: 'Shoe size', field_type: 'number' },
  ]) {
    expect((await api(svc.url).as(admin).post('/crm/custom-fields', body)).status).toBe(201);
  }
  for (const name of ['Gold', 'Newsletter']) {
    await api(svc.url).as(admin).post('/crm/tags', { name });
  }
  return { tenant, admin };
}

function row(i: number, overrides: Partial<Record<string, string>> = {}): string {
  const cells = {
    first: `Grace${i}`,
    last: `Hopper${i}`,
    email: ` Grace.${i}@Example.COM `,
    phone: `030 9018${String(i).padStart(4, '0')}`,
    hobby: 'Chess, "blitz"',
    size: String(36 + (i % 10)),
    tags: i % 2 === 0 ? 'Gold|Newsletter' : '',
    ref: '',
    vip: i % 3 === 0 ? 'yes' : 'no',
    city: 'Berlin',
    ignored: 'x',
    ...overrides,
  };
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return Object.values(cells).map(quote).join(',');
}

describe('CSV import', () => {
  it('imports mapped columns and custom fields exactly as the API would create them, with events', async () => {
    const { tenant, admin } = await tenantWithFields();
    const listener = await bus.listen('crm.events', 'crm.customer.created.v1');
    try {
      const lines = [HEADER];
      for (let i = 1; i <= 10; i += 1) lines.push(row(i, i === 5 ? { ref: 'bx-77' } : {}));
      const done = await importAndWait(admin, lines.join('\r\n') + '\r\n', { mapping: MAPPING });
      expect(done).toMatchObject({
        status: 'completed',
        dry_run: false,
        total_rows: 10,
        processed_rows: 10,
        created: 10,
        updated: 0,
        skipped: 0,
        failed: 0,
        failure: null,
      });
      expect(done.duration_ms).toBeGreaterThanOrEqual(0);
      expect(await errorsOf(admin, done.id)).toEqual([]);

      const [grace2] = await customerByEmail(admin, 'grace.2@example.com');
      expect(grace2).toMatchObject({
        first_name: 'Grace2',
        last_name: 'Hopper2',
        email: 'grace.2@example.com',
        phone: '+49309018' + '0002',
        vip_status: false,
        address: expect.objectContaining({ city: 'Berlin' }) as unknown,
        custom_fields: { hobby: 'Chess, "blitz"', shoe_size: 38 },
        tags: ['Gold', 'Newsletter'],
        source: 'crm',
      });
      const [grace3] = await customerByEmail(admin, 'grace.3@example.com');
      expect(grace3?.vip_status).toBe(true);
      // A BookingX id gives the derived id, so booking facts find the customer.
      const [grace5] = await customerByEmail(admin, 'grace.5@example.com');
      expect(grace5?.id).toBe(bookingxCustomerId(tenant, 'bx-77'));
      expect(grace5?.external_refs).toEqual([{ system: 'bookingx', external_id: 'bx-77' }]);

      const audit = await api(svc.url)
        .as(admin)
        .get<{ data: { via: string }[] }>(`/crm/customers/${grace2?.id ?? ''}/audit`);
      expect(audit.status).toBe(200);
      expect(audit.body.data.some((e) => e.via === 'POST /crm/customers/imports')).toBe(true);

      const events = await waitFor(
        () => {
          const mine = listener.events.filter((e) => e.tenantid === tenant);
          return Promise.resolve(mine.length >= 10 ? mine : undefined);
        },
        { what: 'ten created events' },
      );
      expect(events).toHaveLength(10);
      const emails = events.map((e) => (e.data as { customer: Customer }).customer.email).sort();
      expect(emails).toContain('grace.10@example.com');

      // The search index follows the outbox, as for any other customer.
      await waitFor(
        async () => {
          const r = await api(svc.url)
            .as(admin)
            .get<{ data: { id: string }[] }>('/crm/search?q=Hopper7');
          return r.body.data.length > 0;
        },
        { what: 'the imported customer in search' },
      );
    } finally {
      await listener.close();
    }
  });

  it('reports bad rows with row, column and code and still imports every good row around them', async () => {
    const { tenant, admin } = await tenantWithFields();
    const lines = [
      HEADER,
      row(1),
      row(2, { email: 'not-an-email' }),
      row(3),
      row(4, { phone: '12' }),
      row(5, { tags: 'Gold|Platinum' }),
      row(6),
      row(7, { size: 'forty' }),
      row(8, { first: '' }),
      'Only,three,cells',
      row(10, { vip: 'maybe' }),
      row(11),
    ];
    const done = await importAndWait(admin, lines.join('\n'), { mapping: MAPPING });
    expect(done).toMatchObject({ status: 'completed', total_rows: 11, created: 4, failed: 7 });
    expect(await countCustomers(tenant)).toBe(4);
    // Row 6 was created, then refused for its tag: its audit entries went with it, and the
    // rows after it link to the entry before it.
    const chain = await verifyAuditChain(svc.deps.audit, tenant);
    expect(chain).toMatchObject({ ok: true, broken_at_seq: null });
    expect(chain.entries).toBeGreaterThan(0);
    expect(await orphanAuditEntries(tenant)).toBe(0);
    const errors = await errorsOf(admin, done.id);
    const byRow = new Map(errors.map((e) => [e.row, e]));
    expect([...byRow.keys()]).toEqual([3, 5, 6, 8, 9, 10, 11]);
    expect(byRow.get(3)).toMatchObject({ column: 'E-mail', code: 'invalid_format' });
    expect(byRow.get(5)).toMatchObject({ column: 'Mobile', code: 'invalid_phone' });
    expect(byRow.get(6)).toMatchObject({ column: 'Labels', code: 'unknown_tag' });
    expect(byRow.get(6)?.message).toContain('Platinum');
    expect(byRow.get(8)).toMatchObject({ column: 'Shoe size', code: 'type' });
    expect(byRow.get(9)).toMatchObject({ column: 'First Name' });
    expect(byRow.get(10)).toMatchObject({ column: null, code: 'column_count' });
    expect(byRow.get(11)).toMatchObject({ column: 'VIP', code: 'invalid_boolean' });
    for (const good of [1, 3, 6, 11]) {
      expect(await customerByEmail(admin, `grace.${good}@example.com`)).toHaveLength(1);
    }

    const csv = await fetch(`${svc.url}/crm/customers/imports/${done.id}/errors/export`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const table = parse<Record<string, string>>(await csv.text(), { columns: true });
    expect(table.map((r) => r.row)).toEqual(['3', '5', '6', '8', '9', '10', '11']);
    expect(table[0]).toMatchObject({ column: 'E-mail', code: 'invalid_format' });
  });

  describe('duplicates, by external ref, email or phone, in the tenant and in the file', () => {
    const mapping = { Name: 'first_name', Email: 'email', Phone: 'phone', Company: 'company_name' };
    const file = (suffix: string) =>
      [
        'Name,Email,Phone,Company',
        `Known,known.${suffix}@example.com,,Acme`, // matches the stored customer by email
        `ByPhone,,+49 30 5555${suffix},Phone Co`, // matches the stored customer by phone
        `Fresh,fresh.${suffix}@example.com,,New Co`,
        `Again,FRESH.${suffix}@example.com,,Again Co`, // matches row 4 of the same file
      ].join('\n');

    async function seed(admin: string, suffix: string): Promise<Customer> {
      const r = await api(svc.url)
        .as(admin)
        .post<Customer>('/crm/customers', {
          first_name: 'Stored',
          email: `known.${suffix}@example.com`,
          phone: `+49 30 5555${suffix}`,
        });
      expect(r.status).toBe(201);
      return r.body;
    }

    it('skip leaves the stored customer and the earlier row alone', async () => {
      const tenant = newTenant();
      const admin = await tokenFor(tenant, 'admin');
      const stored = await seed(admin, '101');
      const done = await importAndWait(admin, file('101'), { mapping, on_duplicate: 'skip' });
      expect(done).toMatchObject({ created: 1, updated: 0, skipped: 3, failed: 0 });
      expect(await countCustomers(tenant)).toBe(2);
      const after = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${stored.id}`);
      expect(after.body).toMatchObject({ first_name: 'Stored', company_name: null, version: 1 });
      expect((await customerByEmail(admin, 'fresh.101@example.com'))[0]?.first_name).toBe('Fresh');
    });

    it('update writes the non-empty cells onto the match', async () => {
      const tenant = newTenant();
      const admin = await tokenFor(tenant, 'admin');
      const stored = await seed(admin, '102');
      const done = await importAndWait(admin, file('102'), { mapping, on_duplicate: 'update' });
      expect(done).toMatchObject({ created: 1, updated: 3, skipped: 0, failed: 0 });
      expect(await countCustomers(tenant)).toBe(2);
      const after = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${stored.id}`);
      // Row 2 then row 3 (by phone) both landed on the stored customer; email kept.
      expect(after.body).toMatchObject({
        first_name: 'ByPhone',
        company_name: 'Phone Co',
        email: 'known.102@example.com',
      });
      const [fresh] = await customerByEmail(admin, 'fresh.102@example.com');
      expect(fresh).toMatchObject({ first_name: 'Again', company_name: 'Again Co' });
    });

    it('create makes a new customer for every row', async () => {
      const tenant = newTenant();
      const admin = await tokenFor(tenant, 'admin');
      await seed(admin, '103');
      const done = await importAndWait(admin, file('103'), { mapping, on_duplicate: 'create' });
      expect(done).toMatchObject({ created: 4, updated: 0, skipped: 0, failed: 0 });
      expect(await countCustomers(tenant)).toBe(5);
    });

    it('never gives one external ref to two customers', async () => {
      const tenant = newTenant();
      const admin = await tokenFor(tenant, 'admin');
      const csv = ['Name,Ref', 'One,bx-1', 'Two,bx-1', 'Three,bx-2'].join('\n');
      const created = await importAndWait(admin, csv, {
        mapping: { Name: 'first_name', Ref: 'external_ref' },
        on_duplicate: 'create',
      });
      expect(created).toMatchObject({ created: 2, failed: 1 });
      expect(await errorsOf(admin, created.id)).toEqual([
        expect.objectContaining({ row: 3, column: 'Ref', code: 'duplicate_external_ref' }),
      ]);
      const again = await importAndWait(admin, 'Name,Ref\nUno,bx-1\n', {
        mapping: { Name: 'first_name', Ref: 'external_ref' },
        on_duplicate: 'update',
      });
      expect(again).toMatchObject({ created: 0, updated: 1 });
      const one = await api(svc.url)
        .as(admin)
        .get<Customer>(`/crm/customers/${bookingxCustomerId(tenant, 'bx-1')}`);
      expect(one.body.first_name).toBe('Uno');
    });
  });

  it('shares the audit chain with API writes made while it runs: the chain still verifies', async () => {
    const { tenant, admin } = await tenantWithFields();
    const lines = [HEADER];
    for (let i = 1; i <= 24; i += 1) lines.push(row(i));
    const started = await upload(admin, lines.join('\n'), { mapping: MAPPING });
    expect(started.status).toBe(202);
    // Two writers at a time until the import is through (and at least a few).
    let writes = 0;
    for (let status = ''; writes < 4 || (status !== 'completed' && status !== 'failed');) {
      const pair = await Promise.all(
        [0, 1].map((k) =>
          api(svc.url)
            .as(admin)
            .post('/crm/customers', {
              first_name: `Api${writes + k}`,
              custom_fields: { hobby: 'Go' },
            }),
        ),
      );
      expect(pair.map((w) => w.status)).toEqual([201, 201]);
      writes += 2;
      const now = await api(svc.url)
        .as(admin)
        .get<CustomerImport>(`/crm/customers/imports/${started.body.id}`);
      status = now.body.status;
    }
    const done = await finished(admin, started.body.id);
    expect(done).toMatchObject({ status: 'completed', created: 24, failed: 0 });
    expect(await countCustomers(tenant)).toBe(24 + writes);
    const chain = await verifyAuditChain(svc.deps.audit, tenant);
    expect(chain).toMatchObject({ ok: true, broken_at_seq: null });
    expect(chain.entries).toBeGreaterThan(24 + writes);
  });

  it('a dry run reports what a real run would, and writes no customer', async () => {
    const { tenant, admin } = await tenantWithFields();
    const listener = await bus.listen('crm.events', 'crm.customer.#');
    try {
      const lines = [
        HEADER,
        row(1),
        row(2, { email: 'bad' }),
        row(3),
        row(4),
        row(5, { ref: 'x' }),
      ];
      lines.push(row(6, { email: 'grace.1@example.com', phone: '' }));
      const csv = lines.join('\n');
      const dry = await importAndWait(admin, csv, {
        mapping: MAPPING,
        dry_run: 'true',
        on_duplicate: 'skip',
      });
      expect(dry).toMatchObject({ status: 'completed', dry_run: true, created: 4, skipped: 1 });
      expect(dry.failed).toBe(1);
      expect(await countCustomers(tenant)).toBe(0);
      expect(await verifyAuditChain(svc.deps.audit, tenant)).toMatchObject({
        ok: true,
        entries: 0,
      });
      const dryErrors = await errorsOf(admin, dry.id);
      expect(dryErrors).toEqual([expect.objectContaining({ row: 3, column: 'E-mail' })]);

      const real = await importAndWait(admin, csv, { mapping: MAPPING, on_duplicate: 'skip' });
      expect({ ...real, id: '', dry_run: true }).toMatchObject({
        created: dry.created,
        updated: dry.updated,
        skipped: dry.skipped,
        failed: dry.failed,
      });
      expect(await countCustomers(tenant)).toBe(4);
      const chain = await verifyAuditChain(svc.deps.audit, tenant);
      expect(chain).toMatchObject({ ok: true });
      expect(chain.entries).toBeGreaterThan(0);
      // Only the real run spoke on the bus.
      await waitFor(() =>
        Promise.resolve(listener.events.filter((e) => e.tenantid === tenant).length >= 4),
      );
      await new Promise((r) => setTimeout(r, 500));
      const created = listener.events.filter(
        (e) => e.tenantid === tenant && e.type === 'crm.customer.created.v1',
      );
      expect(created).toHaveLength(4);
    } finally {
      await listener.close();
    }
  });

  describe('refused before any work starts', () => {
    it('answers an upload over IMPORT_MAX_BYTES with 413 problem+json', async () => {
      const admin = await tokenFor(newTenant(), 'admin');
      const big = HEADER + '\n' + `${row(1)}\n`.repeat(Math.ceil(MAX_BYTES / 60) + 10);
      const res = await upload(admin, big, { mapping: MAPPING });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('payload_too_large');
    });

    it('answers a file that is not well-formed CSV with 422 and stores nothing', async () => {
      const admin = await tokenFor(newTenant(), 'admin');
      const res = await upload(admin, `${HEADER}\n${row(1)}\nAda,"Lovelace,ada@example.com\n`, {
        mapping: MAPPING,
      });
      expect(res.status).toBe(422);
      expect(res.body.errors?.[0]).toMatchObject({ field: 'body', code: 'malformed_csv' });
      expect(res.body.errors?.[0]?.message).toContain('Quote Not Closed');
      const list = await api(svc.url).as(admin).get<Page<CustomerImport>>('/crm/customers/imports');
      expect(list.body.data).toEqual([]);
    });

    it('refuses unknown fields, unknown columns and a mapping without the required fields', async () => {
      const tenant = newTenant();
      const admin = await tokenFor(tenant, 'admin');
      await api(svc.url).as(admin).post('/crm/custom-fields', {
        field_name: 'member_no',
        field_label: 'No.',
        field_type: 'text',
        is_required: true,
      });
      const res = await upload(admin, 'Name,Mail,Extra\nAda,a@example.com,1\n', {
        mapping: { Mail: 'email', Extra: 'favourite_colour', Missing: 'last_name' },
      });
      expect(res.status).toBe(422);
      const codes = (res.body.errors ?? []).map((e) => `${e.field}:${e.code}`);
      expect(codes).toEqual(
        expect.arrayContaining([
          'mapping.Extra:unknown_field',
          'mapping.Missing:unknown_column',
          'mapping:required',
        ]),
      );
      expect((res.body.errors ?? []).filter((e) => e.code === 'required')).toHaveLength(2);
      const custom = await upload(admin, 'Name,X\nAda,1\n', {
        mapping: { Name: 'first_name', X: 'custom.nope' },
      });
      expect(custom.status).toBe(422);
      expect(custom.body.errors?.[0]).toMatchObject({ field: 'mapping.X', code: 'unknown_field' });
      const badOption = await upload(admin, 'Name\nAda\n', {
        mapping: { Name: 'first_name' },
        on_duplicate: 'merge',
      });
      expect(badOption.status).toBe(422);
      const empty = await upload(admin, 'Name\n', { mapping: { Name: 'first_name' } });
      expect(empty.status).toBe(422);
      expect(empty.body.errors?.[0]?.code).toBe('no_rows');
      expect(await countCustomers(tenant)).toBe(0);
    });

    it('answers a body that is not text/csv with 415', async () => {
      const admin = await tokenFor(newTenant(), 'admin');
      const res = await upload(
        admin,
        'Name\nAda\n',
        { mapping: { Name: 'first_name' } },
        'text/plain',
      );
      expect(res.status).toBe(415);
      const json = await upload(
        admin,
        '{"a":1}',
        { mapping: { Name: 'first_name' } },
        'application/json',
      );
      expect(json.status).toBe(415);
    });
  });

  it('honours Idempotency-Key over the bytes of the file', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const key = `import-${randomUUID()}`;
    const send = (csv: string) =>
      fetch(
        `${svc.url}/crm/customers/imports?mapping=${encodeURIComponent('{"Name":"first_name"}')}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${admin}`,
            'content-type': 'text/csv',
            'idempotency-key': key,
          },
          body: csv,
        },
      );
    const first = await send('Name\nAda\n');
    expect(first.status).toBe(202);
    const firstBody = (await first.json()) as CustomerImport;
    const retry = await send('Name\nAda\n');
    expect(retry.status).toBe(202);
    expect(((await retry.json()) as CustomerImport).id).toBe(firstBody.id);
    const other = await send('Name\nGrace\n');
    expect(other.status).toBe(409);
    await finished(admin, firstBody.id);
    expect(await countCustomers(tenant)).toBe(1);
  });

  describe('who may import and see imports', () => {
    it.each<Role>(['staff', 'sales_rep', 'customer'])('%s is refused', async (role) => {
      const tenant = newTenant();
      const token = await tokenFor(tenant, role);
      const res = await upload(token, 'Name\nAda\n', { mapping: { Name: 'first_name' } });
      expect(res.status).toBe(403);
      for (const path of ['/crm/customers/imports', `/crm/customers/imports/${randomUUID()}`]) {
        expect((await api(svc.url).as(token).get(path)).status).toBe(403);
      }
      expect(await countCustomers(tenant)).toBe(0);
    });

    it('a manager imports customers they then own, and sees only their own imports', async () => {
      const tenant = newTenant();
      const manager = await tokenFor(tenant, 'manager', { sub: 'mgr-1' });
      const other = await tokenFor(tenant, 'manager', { sub: 'mgr-2' });
      const admin = await tokenFor(tenant, 'admin');
      const done = await importAndWait(manager, 'Name,Email\nAda,ada.m@example.com\n', {
        mapping: { Name: 'first_name', Email: 'email' },
      });
      expect(done).toMatchObject({ created: 1, created_by: 'mgr-1' });
      const [ada] = await customerByEmail(manager, 'ada.m@example.com');
      expect(ada?.owner_id).toBe('mgr-1');
      const path = `/crm/customers/imports/${done.id}`;
      expect((await api(svc.url).as(other).get(path)).status).toBe(404);
      expect((await api(svc.url).as(other).get(`${path}/errors`)).status).toBe(404);
      const theirs = await api(svc.url)
        .as(other)
        .get<Page<CustomerImport>>('/crm/customers/imports');
      expect(theirs.body.data).toEqual([]);
      const all = await api(svc.url).as(admin).get<Page<CustomerImport>>('/crm/customers/imports');
      expect(all.body.data.map((i) => i.id)).toEqual([done.id]);
    });

    it('another tenant sees nothing of an import', async () => {
      const admin = await tokenFor(newTenant(), 'admin');
      const done = await importAndWait(admin, 'Name\nAda\n', { mapping: { Name: 'first_name' } });
      const stranger = await tokenFor(newTenant(), 'admin');
      for (const suffix of ['', '/errors', '/errors/export']) {
        const r = await api(svc.url).as(stranger).get(`/crm/customers/imports/${done.id}${suffix}`);
        expect(r.status, suffix).toBe(404);
      }
      const list = await api(svc.url)
        .as(stranger)
        .get<Page<CustomerImport>>('/crm/customers/imports');
      expect(list.body.data).toEqual([]);
    });

    it('pages through imports newest first', async () => {
      const admin = await tokenFor(newTenant(), 'admin');
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const r = await upload(admin, `Name\nAda${i}\n`, {
          mapping: { Name: 'first_name' },
          dry_run: 'true',
        });
        ids.push(r.body.id);
      }
      const first = await api(svc.url)
        .as(admin)
        .get<Page<CustomerImport>>('/crm/customers/imports?limit=2');
      expect(first.body.data.map((i) => i.id)).toEqual([ids[2], ids[1]]);
      const second = await api(svc.url)
        .as(admin)
        .get<Page<CustomerImport>>(
          `/crm/customers/imports?limit=2&cursor=${first.body.next_cursor ?? ''}`,
        );
      expect(second.body.data.map((i) => i.id)).toEqual([ids[0]]);
      expect(second.body.next_cursor).toBeNull();
    });
  });

  it('resumes after a crash in the middle of a batch without importing a row twice', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const lines = ['Name,Email,Ref'];
    for (let i = 1; i <= 10; i += 1) lines.push(`Crash${i},crash.${i}@example.com,crash-${i}`);
    const blocker = new pg.Client({ connectionString: inject('databaseUrl') });
    await blocker.connect();
    try {
      // Row 6's external ref, taken in an open transaction: the worker blocks on it in its
      // second batch of four, with row 5 of that batch already inserted.
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO profiles.external_refs (tenant_id, system, external_id, customer_id)
         VALUES ($1, 'bookingx', 'crash-6', $2)`,
        [tenant, randomUUID()],
      );
      const started = await upload(admin, lines.join('\n'), {
        mapping: { Name: 'first_name', Email: 'email', Ref: 'external_ref' },
      });
      expect(started.status).toBe(202);
      const id = started.body.id;
      const pid = await waitFor(
        async () => {
          const { rows } = await blocker.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
              WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
          );
          return rows[0]?.pid;
        },
        { what: 'the worker to block in its second batch' },
      );
      const mid = await api(svc.url).as(admin).get<CustomerImport>(`/crm/customers/imports/${id}`);
      expect(mid.body).toMatchObject({ status: 'running', processed_rows: 4, created: 4 });
      // The worker's connection dies mid-batch, as in a crash: that batch rolls back.
      await blocker.query('SELECT pg_terminate_backend($1)', [pid]);
      await blocker.query('ROLLBACK');
      const done = await finished(admin, id);
      expect(done).toMatchObject({
        status: 'completed',
        processed_rows: 10,
        created: 10,
        failed: 0,
      });
      expect(await countCustomers(tenant)).toBe(10);
      const { rows } = await blocker.query<{ email: string; n: number }>(
        `SELECT email, count(*)::int AS n FROM profiles.customers WHERE tenant_id = $1
          GROUP BY email HAVING count(*) > 1`,
        [tenant],
      );
      expect(rows).toEqual([]);
    } finally {
      await blocker.end();
    }
  });
});
