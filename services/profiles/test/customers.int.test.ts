import { bookingxCustomerId, type Customer, type Page, type Problem } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, buildEvent, newTenant, tokenFor, waitFor } from '@crm/testing';
import { useProfiles } from './fixtures.js';

const { svc, bus } = useProfiles();

describe('customers over HTTP', () => {
  it('creates, reads, lists and updates a customer, publishing created and updated events', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const listener = await bus.listen('crm.events', 'crm.customer.#');

    const created = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ phone: '030 901820' }));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/crm/customers/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body.phone).toBe('+4930901820');
    expect(created.body.customer_stage).toBe('new');

    const got = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const patched = await api(svc.url)
      .as(admin)
      .patch<Customer>(
        `/crm/customers/${created.body.id}`,
        { vip_status: true },
        { headers: { 'if-match': '"1"' } },
      );
    expect(patched.status).toBe(200);
    expect(patched.body.vip_status).toBe(true);
    expect(patched.body.last_name).toBe(created.body.last_name);
    expect(patched.body.version).toBe(2);

    const nulPatch = await api(svc.url)
      .as(admin)
      .request<Problem>('PATCH', `/crm/customers/${created.body.id}`, {
        body: { company_name: 'Acme\u0000Ltd' },
        headers: { 'if-match': '"2"' },
      });
    expect(nulPatch.status).toBe(422);
    expect(nulPatch.body.errors?.[0]?.field).toBe('company_name');

    const stale = await api(svc.url)
      .as(admin)
      .request<Problem>('PATCH', `/crm/customers/${created.body.id}`, {
        body: { vip_status: false },
        headers: { 'if-match': '"1"' },
      });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');

    const events = await waitFor(
      () =>
        Promise.resolve(listener.events.filter((e) => e.subject === created.body.id)).then(
          (l) => l.length >= 3 && l,
        ),
      { what: 'customer events' },
    );
    // The creator becomes the owner, which the access replicas of other services learn.
    expect(events.map((e) => e.type)).toEqual([
      'crm.customer.created.v1',
      'crm.customer.assignment.changed.v1',
      'crm.customer.updated.v1',
    ]);
    expect(events[2]?.data).toMatchObject({ changed_fields: ['vip_status'] });
    expect(events[2]?.sequence).toBe('2');
    await listener.close();
  });

  it('paginates with a cursor, newest first, and filters', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await api(svc.url)
        .as(admin)
        .post<Customer>('/crm/customers', buildCustomer({ vip_status: i % 2 === 0 }));
      ids.push(r.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { status: number; body: Page<Customer> } = await api(svc.url)
        .as(admin)
        .get<Page<Customer>>(`/crm/customers?limit=2${q}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const vip = await api(svc.url).as(admin).get<Page<Customer>>('/crm/customers?vip=true');
    expect(vip.body.data).toHaveLength(3);
  });

  it('refuses bad input with problem+json naming the field, and writes nothing', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const unknown = await api(svc.url)
      .as(admin)
      .post<Problem>('/crm/customers', { ...buildCustomer(), shoe_size: 44 });
    expect(unknown.status).toBe(422);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.errors?.[0]).toMatchObject({
      field: 'shoe_size',
      code: 'unrecognized_key',
    });

    const phone = await api(svc.url)
      .as(admin)
      .post<Problem>('/crm/customers', buildCustomer({ phone: '12' }));
    expect(phone.status).toBe(422);
    expect(phone.body.errors?.[0]?.field).toBe('phone');

    const email = await api(svc.url)
      .as(admin)
      .post<Problem>('/crm/customers', buildCustomer({ email: 'not-an-email' }));
    expect(email.status).toBe(422);

    // PostgreSQL cannot store U+0000: refused as invalid input, never a 500.
    const nul = await api(svc.url)
      .as(admin)
      .request<Problem>('POST', '/crm/customers', {
        body: buildCustomer({ first_name: 'Ada\u0000' }),
      });
    expect(nul.status).toBe(422);
    expect(nul.body.code).toBe('validation_failed');
    expect(nul.body.errors).toEqual([
      {
        field: 'first_name',
        code: 'invalid_string',
        message: 'Must not contain the NUL character (U+0000)',
      },
    ]);
    const nulQuery = await api(svc.url)
      .as(admin)
      .request<Problem>('GET', '/crm/customers?q=Ada%00');
    expect(nulQuery.status).toBe(422);
    expect(nulQuery.body.errors?.[0]?.field).toBe('query.q');

    const list = await api(svc.url).as(admin).request<Page<Customer>>('GET', '/crm/customers');
    expect(list.body.data).toHaveLength(0);

    const badQuery = await api(svc.url).as(admin).get<Problem>('/crm/customers?limit=1000');
    expect(badQuery.status).toBe(422);
    const badCursor = await api(svc.url)
      .as(admin)
      .request<Problem>('GET', '/crm/customers?cursor=zzz');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('invalid_cursor');
    // Well-formed base64url JSON this list did not issue: another sort, no uuid, no time.
    for (const key of [
      ['last_name', 'Smith', '0190f5a4-7b7e-7cc3-8c3a-2b1f4f0c9d11'],
      ['-created_at', '2026-01-01T00:00:00.000Z', "x' OR '1'='1"],
      ['-created_at', 'yesterday', '0190f5a4-7b7e-7cc3-8c3a-2b1f4f0c9d11'],
    ]) {
      const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
      const forged = await api(svc.url)
        .as(admin)
        .request<Problem>('GET', `/crm/customers?cursor=${cursor}`);
      expect(forged.status).toBe(400);
      expect(forged.body.code).toBe('invalid_cursor');
    }
  });
});

describe('who may see and change which customer', () => {
  it('scopes by tenant, assignment, team and self', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const mine = await api(svc.url)
      .as(admin)
      .post<Customer>(
        '/crm/customers',
        buildCustomer({ owner_id: 'staff-anna', team_id: 'team-north' }),
      );
    const other = await api(svc.url)
      .as(admin)
      .post<Customer>(
        '/crm/customers',
        buildCustomer({ owner_id: 'staff-ben', team_id: 'team-south' }),
      );
    const anna = await tokenFor(tenant, 'staff', { sub: 'staff-anna' });
    const manager = await tokenFor(tenant, 'manager', { sub: 'mgr-1', teams: ['team-north'] });
    const self = await tokenFor(tenant, 'customer', { sub: mine.body.id });
    const stranger = await tokenFor(newTenant(), 'admin');

    expect(
      (await api(svc.url).as(anna).request('GET', `/crm/customers/${mine.body.id}`)).status,
    ).toBe(200);
    expect(
      (await api(svc.url).as(anna).request('GET', `/crm/customers/${other.body.id}`)).status,
    ).toBe(404);
    expect(
      (await api(svc.url).as(manager).request('GET', `/crm/customers/${mine.body.id}`)).status,
    ).toBe(200);
    expect(
      (await api(svc.url).as(manager).request('GET', `/crm/customers/${other.body.id}`)).status,
    ).toBe(404);
    // A customer reads their own profile at /crm/me; the staff routes are refused.
    expect(
      (await api(svc.url).as(self).request('GET', `/crm/customers/${mine.body.id}`)).status,
    ).toBe(403);
    expect(
      (await api(svc.url).as(self).request('GET', `/crm/customers/${other.body.id}`)).status,
    ).toBe(403);
    const me = await api(svc.url).as(self).request<Customer>('GET', '/crm/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(mine.body.id);
    expect(
      (await api(svc.url).as(stranger).request('GET', `/crm/customers/${mine.body.id}`)).status,
    ).toBe(404);

    const annaList = await api(svc.url).as(anna).get<Page<Customer>>('/crm/customers');
    expect(annaList.body.data.map((c) => c.id)).toEqual([mine.body.id]);
    const strangerList = await api(svc.url).as(stranger).get<Page<Customer>>('/crm/customers');
    expect(strangerList.body.data).toHaveLength(0);

    // Staff read but do not edit; sales reps may not reassign; customers use /me (later).
    expect(
      (await api(svc.url).as(anna).patch(`/crm/customers/${mine.body.id}`, { vip_status: true }))
        .status,
    ).toBe(403);
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'staff-anna' });
    expect(
      (await api(svc.url).as(rep).patch(`/crm/customers/${mine.body.id}`, { owner_id: 'x' }))
        .status,
    ).toBe(403);
    expect((await api(svc.url).as(anna).post('/crm/customers', buildCustomer())).status).toBe(403);
    expect((await api(svc.url).get('/crm/customers')).status).toBe(401);
  });
});

describe('customers from BookingX', () => {
  it('creates a profile with the derived id once, however often the event comes, and applies newer updates only', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = buildEvent('bookingx.customer.created.v1', {
      tenantId: tenant,
      time: new Date('2026-01-01T10:00:00Z'),
    });
    const data = created.data as { customer: { bookingx_id: string } };
    const id = bookingxCustomerId(tenant, data.customer.bookingx_id);
    await bus.publish([created, created]);
    const customer = await waitFor(async () => {
      const r = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
      return r.status === 200 && r.body;
    });
    expect(customer.source).toBe('bookingx');
    expect(customer.external_refs).toEqual([
      { system: 'bookingx', external_id: data.customer.bookingx_id },
    ]);

    const newer = buildEvent('bookingx.customer.updated.v1', {
      tenantId: tenant,
      time: new Date('2026-03-01T10:00:00Z'),
      data: {
        customer: { bookingx_id: data.customer.bookingx_id, email: 'grace.new@example.com' },
      },
    });
    const older = buildEvent('bookingx.customer.updated.v1', {
      tenantId: tenant,
      time: new Date('2026-02-01T10:00:00Z'),
      data: {
        customer: { bookingx_id: data.customer.bookingx_id, email: 'grace.old@example.com' },
      },
    });
    // One after the other: the consumer may run two deliveries at once, in either order.
    await bus.publish([newer]);
    await waitFor(async () => {
      const r = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
      return r.body.email === 'grace.new@example.com';
    });
    await bus.publish([older]);
    // Let the stale event be processed too; it must not win.
    await waitFor(async () => {
      const { rows } = await svc.kit.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM profiles.inbox WHERE event_id = $1`,
        [older.id],
      );
      return (rows[0]?.n ?? 0) > 0;
    });
    const final = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
    expect(final.body.email).toBe('grace.new@example.com');
    expect(final.body.version).toBe(2);

    const list = await api(svc.url).as(admin).get<Page<Customer>>('/crm/customers');
    expect(list.body.data).toHaveLength(1);
  });
});

describe('PUT /crm/customers/{id}', () => {
  it('replaces every writable field, resetting what is left out, with the events and audit of a PATCH', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const listener = await bus.listen('crm.events', 'crm.customer.#');
    const created = await api(svc.url)
      .as(admin)
      .request<Customer>('POST', '/crm/customers', {
        body: buildCustomer({
          company_name: 'Analytical Engines',
          vip_status: true,
          preferences: { preferred_days: ['mon'] },
        }),
      });
    const id = created.body.id;

    const replaced = await api(svc.url)
      .as(admin)
      .request<Customer>('PUT', `/crm/customers/${id}`, {
        body: { first_name: 'Augusta', email: created.body.email },
        headers: { 'if-match': '"1"' },
      });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    expect(replaced.body).toMatchObject({
      first_name: 'Augusta',
      last_name: '',
      email: created.body.email,
      phone: null,
      phones: [],
      timezone: null,
      company_name: null,
      vip_status: false,
      customer_stage: 'new',
      // Assignment is not part of the profile a replacement rewrites.
      owner_id: created.body.owner_id,
      version: 2,
    });
    expect(replaced.body.preferences?.preferred_days).toEqual([]);

    const events = await waitFor(
      () =>
        Promise.resolve(listener.events.filter((e) => e.subject === id)).then(
          (l) => l.some((e) => e.type === 'crm.customer.updated.v1') && l,
        ),
      { what: 'customer events' },
    );
    const updated = events.find((e) => e.type === 'crm.customer.updated.v1');
    const changed = (updated?.data as { changed_fields?: string[] } | undefined)?.changed_fields;
    for (const field of ['first_name', 'company_name', 'vip_status']) {
      expect(changed).toContain(field);
    }
    await listener.close();

    const audit = await api(svc.url)
      .as(admin)
      .request<Page<{ via: string; field: string; new_value: unknown }>>(
        'GET',
        `/crm/customers/${id}/audit?field=company_name`,
      );
    expect(audit.body.data).toContainEqual(
      expect.objectContaining({ via: 'PUT /crm/customers/{id}', new_value: null }),
    );
  });

  it('refuses a stale If-Match with 412 and a missing required field with 422', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = await api(svc.url)
      .as(admin)
      .request<Customer>('POST', '/crm/customers', { body: buildCustomer() });
    const id = created.body.id;
    await api(svc.url)
      .as(admin)
      .request('PATCH', `/crm/customers/${id}`, { body: { vip_status: true } });

    const stale = await api(svc.url)
      .as(admin)
      .request<Problem>('PUT', `/crm/customers/${id}`, {
        body: { first_name: 'Ada' },
        headers: { 'if-match': '"1"' },
      });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');

    const missing = await api(svc.url)
      .as(admin)
      .request<Problem>('PUT', `/crm/customers/${id}`, { body: { last_name: 'Lovelace' } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'first_name' }));

    const staff = await tokenFor(tenant, 'staff');
    expect(
      (
        await api(svc.url)
          .as(staff)
          .request('PUT', `/crm/customers/${id}`, { body: { first_name: 'X' } })
      ).status,
    ).toBe(403);
    const after = await api(svc.url).as(admin).request<Customer>('GET', `/crm/customers/${id}`);
    expect(after.body).toMatchObject({ first_name: 'Ada', version: 2 });
  });
});
