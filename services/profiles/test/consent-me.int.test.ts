import type {
  CloudEvent,
  ConsentRecord,
  ConsentState,
  Customer,
  Me,
  Page,
  Problem,
} from '@crm/contracts';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { api, newTenant, tokenFor, waitFor } from '@crm/testing';
import { useProfiles } from './fixtures.js';

const { svc, bus, create } = useProfiles();

async function setup(overrides: Record<string, unknown> = {}) {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin');
  const customer = await create(admin, { owner_id: 'staff-1', team_id: 'team-a', ...overrides });
  return {
    tenant,
    admin,
    customer,
    self: await tokenFor(tenant, 'customer', { sub: customer.id }),
  };
}

function granted(state: ConsentState, channel: string, purpose: string) {
  return state.consents.find((c) => c.channel === channel && c.purpose === purpose)?.granted;
}

describe('consent ledger', () => {
  it('appends records, derives the current consent from the newest, and publishes each change', async () => {
    const { tenant, admin, customer, self } = await setup();
    const listener = await bus.listen('crm.events', 'crm.consent.changed.v1');
    const empty = await api(svc.url)
      .as(admin)
      .get<ConsentState>(`/crm/customers/${customer.id}/consent`);
    expect(empty.status).toBe(200);
    expect(empty.body.consents).toHaveLength(6);
    expect(empty.body.consents.every((c) => c.granted === null)).toBe(true);

    const given = await api(svc.url)
      .as(admin)
      .post<ConsentRecord>(`/crm/customers/${customer.id}/consent`, {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'paper_form',
        note: 'At the desk',
      });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'paper_form',
    });
    const withdrawn = await api(svc.url).as(self).post<ConsentRecord>('/crm/me/consent', {
      channel: 'email',
      purpose: 'marketing',
      granted: false,
    });
    expect(withdrawn.status).toBe(201);
    expect(withdrawn.body.source).toBe('self_service');
    expect(withdrawn.body.recorded_by).toEqual({ type: 'customer', id: customer.id });
    await api(svc.url).as(admin).post(`/crm/customers/${customer.id}/consent`, {
      channel: 'sms',
      purpose: 'transactional',
      granted: true,
      source: 'booking_form',
    });

    const state = await api(svc.url).as(self).get<ConsentState>('/crm/me/consent');
    expect(granted(state.body, 'email', 'marketing')).toBe(false);
    expect(granted(state.body, 'sms', 'transactional')).toBe(true);
    expect(granted(state.body, 'phone', 'marketing')).toBeNull();
    expect(state.body.do_not_contact).toBe(false);

    const history = await api(svc.url)
      .as(admin)
      .get<Page<ConsentRecord>>(`/crm/customers/${customer.id}/consent/history?limit=2`);
    expect(history.body.data.map((r) => [r.channel, r.granted])).toEqual([
      ['sms', true],
      ['email', false],
    ]);
    const rest = await api(svc.url)
      .as(admin)
      .get<Page<ConsentRecord>>(
        `/crm/customers/${customer.id}/consent/history?limit=2&cursor=${encodeURIComponent(history.body.next_cursor ?? '')}`,
      );
    expect(rest.body.data.map((r) => r.note)).toEqual(['At the desk']);
    expect(rest.body.next_cursor).toBeNull();

    const events = await waitFor(
      () =>
        Promise.resolve(listener.events.filter((e: CloudEvent) => e.tenantid === tenant)).then(
          (l) => l.length >= 3 && l,
        ),
      { what: 'consent events' },
    );
    expect(events.map((e) => e.data)).toMatchObject([
      {
        customer_id: customer.id,
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        do_not_contact: false,
      },
      { channel: 'email', purpose: 'marketing', granted: false, source: 'self_service' },
      { channel: 'sms', purpose: 'transactional', granted: true },
    ]);
    const audit = await api(svc.url)
      .as(admin)
      .get<Page<{ field: string; old_value: unknown; new_value: unknown }>>(
        `/crm/customers/${customer.id}/audit?field=consent.email.marketing`,
      );
    expect(audit.body.data.map((e) => [e.old_value, e.new_value])).toEqual([
      [true, false],
      [null, true],
    ]);
    await listener.close();
  });

  it('refuses bad records and keeps the ledger append-only for the database role too', async () => {
    const { admin, customer } = await setup();
    for (const body of [
      { channel: 'fax', purpose: 'marketing', granted: true, source: 'x' },
      { channel: 'email', purpose: 'spam', granted: true, source: 'x' },
      { channel: 'email', purpose: 'marketing', granted: 'yes', source: 'x' },
      { channel: 'email', purpose: 'marketing', granted: true, source: 'Paper Form' },
      { channel: 'email', purpose: 'marketing', granted: true, source: 'x', extra: 1 },
    ]) {
      const r = await api(svc.url)
        .as(admin)
        .post<Problem>(`/crm/customers/${customer.id}/consent`, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    const none = await api(svc.url)
      .as(admin)
      .get<Page<ConsentRecord>>(`/crm/customers/${customer.id}/consent/history`);
    expect(none.body.data).toEqual([]);

    await api(svc.url).as(admin).post(`/crm/customers/${customer.id}/consent`, {
      channel: 'phone',
      purpose: 'marketing',
      granted: true,
      source: 'call',
    });
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      await expect(
        client.query('UPDATE profiles.consent_records SET granted = false WHERE customer_id = $1', [
          customer.id,
        ]),
      ).rejects.toThrow(/append-only/);
      await expect(
        client.query('DELETE FROM profiles.consent_records WHERE customer_id = $1', [customer.id]),
      ).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it('lets each role reach only the consent it may', async () => {
    const { tenant, admin, customer, self } = await setup();
    const body = { channel: 'email', purpose: 'marketing', granted: true, source: 'call' };
    const expectations: [string, number, number, number][] = [
      // token, GET consent, POST consent, GET history
      [admin, 200, 201, 200],
      [await tokenFor(tenant, 'manager', { sub: 'm', teams: ['team-a'] }), 200, 201, 200],
      [await tokenFor(tenant, 'manager', { sub: 'm2', teams: ['team-b'] }), 404, 404, 404],
      [await tokenFor(tenant, 'staff', { sub: 'staff-1' }), 200, 403, 200],
      [await tokenFor(tenant, 'staff', { sub: 'staff-2' }), 404, 403, 404],
      [await tokenFor(tenant, 'sales_rep', { sub: 'staff-1' }), 200, 201, 200],
      [await tokenFor(tenant, 'sales_rep', { sub: 'rep-2' }), 404, 404, 404],
      [self, 403, 403, 403],
      [await tokenFor(newTenant(), 'admin'), 404, 404, 404],
    ];
    for (const [token, get, post, history] of expectations) {
      const seen = [
        (await api(svc.url).as(token).get(`/crm/customers/${customer.id}/consent`)).status,
        (await api(svc.url).as(token).post(`/crm/customers/${customer.id}/consent`, body)).status,
        (await api(svc.url).as(token).get(`/crm/customers/${customer.id}/consent/history`)).status,
      ];
      expect(seen).toEqual([get, post, history]);
    }
    for (const role of ['admin', 'manager', 'staff', 'sales_rep'] as const) {
      const token = await tokenFor(tenant, role);
      expect((await api(svc.url).as(token).get('/crm/me/consent')).status).toBe(403);
      expect(
        (
          await api(svc.url)
            .as(token)
            .post('/crm/me/consent', { channel: 'sms', purpose: 'marketing', granted: true })
        ).status,
      ).toBe(403);
    }
  });
});

describe('/crm/me', () => {
  it('shows the customer their own profile without internal fields and lets them change only their fields', async () => {
    const { admin, customer, self } = await setup({ vip_status: true });
    const me = await api(svc.url).as(self).get<Me>('/crm/me');
    expect(me.status).toBe(200);
    expect(me.headers.get('etag')).toBe('"1"');
    expect(me.body.id).toBe(customer.id);
    for (const hidden of [
      'owner_id',
      'team_id',
      'tags',
      'customer_stage',
      'vip_status',
      'custom_fields',
      'tenant_id',
    ]) {
      expect(me.body).not.toHaveProperty(hidden);
    }

    const refused = await api(svc.url).as(self).patch<Problem>('/crm/me', {
      first_name: 'Ada',
      customer_stage: 'lost',
      vip_status: false,
      email: 'new@example.com',
      owner_id: 'me',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.map((e) => [e.field, e.code])).toEqual([
      ['customer_stage', 'not_editable_by_customer'],
      ['vip_status', 'not_editable_by_customer'],
      ['email', 'not_editable_by_customer'],
      ['owner_id', 'not_editable_by_customer'],
    ]);
    const unknown = await api(svc.url).as(self).patch<Problem>('/crm/me', { shoe_size: 40 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.[0]).toMatchObject({
      field: 'shoe_size',
      code: 'unrecognized_key',
    });
    const badPhone = await api(svc.url).as(self).patch<Problem>('/crm/me', { phone: '12' });
    expect(badPhone.status).toBe(422);
    const untouched = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${customer.id}`);
    expect(untouched.body.version).toBe(1);

    const changed = await api(svc.url)
      .as(self)
      .patch<Me>(
        '/crm/me',
        {
          first_name: 'Augusta',
          preferences: { preferred_days: ['sat'] },
          do_not_contact: true,
          address: { city: 'London', country: 'GB' },
        },
        { headers: { 'if-match': '"1"' } },
      );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ first_name: 'Augusta', do_not_contact: true, version: 2 });
    expect(changed.body.preferences.preferred_days).toEqual(['sat']);
    const stale = await api(svc.url)
      .as(self)
      .patch<Problem>('/crm/me', { first_name: 'Ada' }, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);

    const audit = await api(svc.url)
      .as(admin)
      .get<Page<{ field: string; via: string; actor: { type: string } }>>(
        `/crm/customers/${customer.id}/audit?field=first_name`,
      );
    expect(audit.body.data[0]).toMatchObject({ via: 'PATCH /crm/me', actor: { type: 'customer' } });
    const consent = await api(svc.url).as(self).get<ConsentState>('/crm/me/consent');
    expect(consent.body.do_not_contact).toBe(true);
  });

  it('is only for customers, and only for a customer that exists', async () => {
    const tenant = newTenant();
    for (const role of ['admin', 'manager', 'staff', 'sales_rep'] as const) {
      const token = await tokenFor(tenant, role);
      expect((await api(svc.url).as(token).get('/crm/me')).status).toBe(403);
      expect((await api(svc.url).as(token).patch('/crm/me', { first_name: 'X' })).status).toBe(403);
    }
    const ghost = await tokenFor(tenant, 'customer', {
      sub: '0190f5a4-7c1e-7d2a-9b3c-4d5e6f708192',
    });
    expect((await api(svc.url).as(ghost).request('GET', '/crm/me')).status).toBe(404);
    // A customer token whose subject is not a customer id names nobody: 401 on every route.
    const { tenant: itsTenant, customer: existing } = await setup();
    const notUuid = await tokenFor(itsTenant, 'customer', { sub: 'someone' });
    for (const path of [
      '/crm/me',
      '/crm/me/consent',
      '/crm/customers',
      `/crm/customers/${existing.id}`,
    ]) {
      const res = await api(svc.url).as(notUuid).request<{ code: string }>('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    }
    // A customer of another tenant with the same id sees nothing.
    const { customer } = await setup();
    const elsewhere = await tokenFor(newTenant(), 'customer', { sub: customer.id });
    expect((await api(svc.url).as(elsewhere).get('/crm/me')).status).toBe(404);
  });
});
