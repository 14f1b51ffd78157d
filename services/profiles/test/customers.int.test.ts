import { bookingxCustomerId, type Customer, type Page, type Problem } from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBus } from '../../../test/support/bus.js';
import { call, startTestService, tokenFor, waitFor } from '../../../test/support/services.js';
import type { ProfilesConfig } from '../src/config.js';
import { migrationsFolder } from '../src/db/migrations-folder.js';
import { profilesService, type ProfilesDeps } from '../src/service.js';
import { buildBookingxCustomerEvent, buildCustomerBody, newTenant } from './factories.js';

let svc: RunningService<ProfilesConfig, ProfilesDeps>;
let bus: TestBus;

beforeAll(async () => {
  svc = await startTestService(profilesService, migrationsFolder);
  bus = await TestBus.open();
});

afterAll(async () => {
  await bus.close();
  await svc.stop();
});

describe('customers over HTTP', () => {
  it('creates, reads, lists and updates a customer, publishing created and updated events', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const listener = await bus.listen('crm.events', 'crm.customer.#');

    const created = await call<Customer>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: buildCustomerBody({ phone: '030 901820' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/crm/customers/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body.phone).toBe('+4930901820');
    expect(created.body.customer_stage).toBe('new');

    const got = await call<Customer>(svc.url, 'GET', `/crm/customers/${created.body.id}`, {
      token: admin,
    });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const patched = await call<Customer>(svc.url, 'PATCH', `/crm/customers/${created.body.id}`, {
      token: admin,
      body: { vip_status: true },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.vip_status).toBe(true);
    expect(patched.body.last_name).toBe(created.body.last_name);
    expect(patched.body.version).toBe(2);

    const stale = await call<Problem>(svc.url, 'PATCH', `/crm/customers/${created.body.id}`, {
      token: admin,
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
      const r = await call<Customer>(svc.url, 'POST', '/crm/customers', {
        token: admin,
        body: buildCustomerBody({ vip_status: i % 2 === 0 }),
      });
      ids.push(r.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { status: number; body: Page<Customer> } = await call<Page<Customer>>(
        svc.url,
        'GET',
        `/crm/customers?limit=2${q}`,
        { token: admin },
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const vip = await call<Page<Customer>>(svc.url, 'GET', '/crm/customers?vip=true', {
      token: admin,
    });
    expect(vip.body.data).toHaveLength(3);
  });

  it('refuses bad input with problem+json naming the field, and writes nothing', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const unknown = await call<Problem>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: { ...buildCustomerBody(), shoe_size: 44 },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.errors?.[0]).toMatchObject({
      field: 'shoe_size',
      code: 'unrecognized_key',
    });

    const phone = await call<Problem>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: buildCustomerBody({ phone: '12' }),
    });
    expect(phone.status).toBe(422);
    expect(phone.body.errors?.[0]?.field).toBe('phone');

    const email = await call<Problem>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: buildCustomerBody({ email: 'not-an-email' }),
    });
    expect(email.status).toBe(422);

    const list = await call<Page<Customer>>(svc.url, 'GET', '/crm/customers', { token: admin });
    expect(list.body.data).toHaveLength(0);

    const badQuery = await call<Problem>(svc.url, 'GET', '/crm/customers?limit=1000', {
      token: admin,
    });
    expect(badQuery.status).toBe(422);
    const badCursor = await call<Problem>(svc.url, 'GET', '/crm/customers?cursor=zzz', {
      token: admin,
    });
    expect(badCursor.status).toBe(422);
  });
});

describe('who may see and change which customer', () => {
  it('scopes by tenant, assignment, team and self', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const mine = await call<Customer>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: buildCustomerBody({ owner_id: 'staff-anna', team_id: 'team-north' }),
    });
    const other = await call<Customer>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: buildCustomerBody({ owner_id: 'staff-ben', team_id: 'team-south' }),
    });
    const anna = await tokenFor(tenant, 'staff', { sub: 'staff-anna' });
    const manager = await tokenFor(tenant, 'manager', { sub: 'mgr-1', teams: ['team-north'] });
    const self = await tokenFor(tenant, 'customer', { sub: mine.body.id });
    const stranger = await tokenFor(newTenant(), 'admin');

    expect(
      (await call(svc.url, 'GET', `/crm/customers/${mine.body.id}`, { token: anna })).status,
    ).toBe(200);
    expect(
      (await call(svc.url, 'GET', `/crm/customers/${other.body.id}`, { token: anna })).status,
    ).toBe(404);
    expect(
      (await call(svc.url, 'GET', `/crm/customers/${mine.body.id}`, { token: manager })).status,
    ).toBe(200);
    expect(
      (await call(svc.url, 'GET', `/crm/customers/${other.body.id}`, { token: manager })).status,
    ).toBe(404);
    // A customer reads their own profile at /crm/me; the staff routes are refused.
    expect(
      (await call(svc.url, 'GET', `/crm/customers/${mine.body.id}`, { token: self })).status,
    ).toBe(403);
    expect(
      (await call(svc.url, 'GET', `/crm/customers/${other.body.id}`, { token: self })).status,
    ).toBe(403);
    const me = await call<Customer>(svc.url, 'GET', '/crm/me', { token: self });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(mine.body.id);
    expect(
      (await call(svc.url, 'GET', `/crm/customers/${mine.body.id}`, { token: stranger })).status,
    ).toBe(404);

    const annaList = await call<Page<Customer>>(svc.url, 'GET', '/crm/customers', { token: anna });
    expect(annaList.body.data.map((c) => c.id)).toEqual([mine.body.id]);
    const strangerList = await call<Page<Customer>>(svc.url, 'GET', '/crm/customers', {
      token: stranger,
    });
    expect(strangerList.body.data).toHaveLength(0);

    // Staff read but do not edit; sales reps may not reassign; customers use /me (later).
    expect(
      (
        await call(svc.url, 'PATCH', `/crm/customers/${mine.body.id}`, {
          token: anna,
          body: { vip_status: true },
        })
      ).status,
    ).toBe(403);
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'staff-anna' });
    expect(
      (
        await call(svc.url, 'PATCH', `/crm/customers/${mine.body.id}`, {
          token: rep,
          body: { owner_id: 'x' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(svc.url, 'POST', '/crm/customers', { token: anna, body: buildCustomerBody() }))
        .status,
    ).toBe(403);
    expect((await call(svc.url, 'GET', '/crm/customers')).status).toBe(401);
  });
});

describe('customers from BookingX', () => {
  it('creates a profile with the derived id once, however often the event comes, and applies newer updates only', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = buildBookingxCustomerEvent(
      tenant,
      {},
      'bookingx.customer.created.v1',
      new Date('2026-01-01T10:00:00Z'),
    );
    const data = created.data as { customer: { bookingx_id: string } };
    const id = bookingxCustomerId(tenant, data.customer.bookingx_id);
    await bus.publish([created, created]);
    const customer = await waitFor(async () => {
      const r = await call<Customer>(svc.url, 'GET', `/crm/customers/${id}`, { token: admin });
      return r.status === 200 && r.body;
    });
    expect(customer.source).toBe('bookingx');
    expect(customer.external_refs).toEqual([
      { system: 'bookingx', external_id: data.customer.bookingx_id },
    ]);

    const newer = buildBookingxCustomerEvent(
      tenant,
      { bookingx_id: data.customer.bookingx_id, email: 'grace.new@example.com' },
      'bookingx.customer.updated.v1',
      new Date('2026-03-01T10:00:00Z'),
    );
    const older = buildBookingxCustomerEvent(
      tenant,
      { bookingx_id: data.customer.bookingx_id, email: 'grace.old@example.com' },
      'bookingx.customer.updated.v1',
      new Date('2026-02-01T10:00:00Z'),
    );
    // One after the other: the consumer may run two deliveries at once, in either order.
    await bus.publish([newer]);
    await waitFor(async () => {
      const r = await call<Customer>(svc.url, 'GET', `/crm/customers/${id}`, { token: admin });
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
    const final = await call<Customer>(svc.url, 'GET', `/crm/customers/${id}`, { token: admin });
    expect(final.body.email).toBe('grace.new@example.com');
    expect(final.body.version).toBe(2);

    const list = await call<Page<Customer>>(svc.url, 'GET', '/crm/customers', { token: admin });
    expect(list.body.data).toHaveLength(1);
  });
});

describe('PUT /crm/customers/{id}', () => {
  it('replaces every writable field, resetting what is left out, with the events and audit of a PATCH', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const listener = await bus.listen('crm.events', 'crm.customer.#');
    const created = await call<Customer>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: buildCustomerBody({
        company_name: 'Analytical Engines',
        vip_status: true,
        preferences: { preferred_days: ['mon'] },
      }),
    });
    const id = created.body.id;

    const replaced = await call<Customer>(svc.url, 'PUT', `/crm/customers/${id}`, {
      token: admin,
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

    const audit = await call<Page<{ via: string; field: string; new_value: unknown }>>(
      svc.url,
      'GET',
      `/crm/customers/${id}/audit?field=company_name`,
      { token: admin },
    );
    expect(audit.body.data).toContainEqual(
      expect.objectContaining({ via: 'PUT /crm/customers/{id}', new_value: null }),
    );
  });

  it('refuses a stale If-Match with 412 and a missing required field with 422', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = await call<Customer>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: buildCustomerBody(),
    });
    const id = created.body.id;
    await call(svc.url, 'PATCH', `/crm/customers/${id}`, {
      token: admin,
      body: { vip_status: true },
    });

    const stale = await call<Problem>(svc.url, 'PUT', `/crm/customers/${id}`, {
      token: admin,
      body: { first_name: 'Ada' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');

    const missing = await call<Problem>(svc.url, 'PUT', `/crm/customers/${id}`, {
      token: admin,
      body: { last_name: 'Lovelace' },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'first_name' }));

    const staff = await tokenFor(tenant, 'staff');
    expect(
      (
        await call(svc.url, 'PUT', `/crm/customers/${id}`, {
          token: staff,
          body: { first_name: 'X' },
        })
      ).status,
    ).toBe(403);
    const after = await call<Customer>(svc.url, 'GET', `/crm/customers/${id}`, { token: admin });
    expect(after.body).toMatchObject({ first_name: 'Ada', version: 2 });
  });
});
