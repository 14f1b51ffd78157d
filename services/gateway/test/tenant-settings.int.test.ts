import { randomUUID } from 'node:crypto';
import {
  CRM_EXCHANGE,
  TenantSettingsChangedPayload,
  type Problem,
  type TenantSettings,
} from '@crm/contracts';
import { api, useBus, waitFor, type ApiClient } from '@crm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, tokenFor, type TestGateway } from './support.js';

const bus = useBus();
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});

afterAll(async () => {
  await gateway.close();
});

type StaffOrCustomer = 'admin' | 'manager' | 'staff' | 'sales_rep' | 'customer';

async function as(tenant: string, role: StaffOrCustomer, sub?: string): Promise<ApiClient> {
  return api(gateway.url).as(await tokenFor(tenant, role, sub === undefined ? {} : { sub }));
}

const BERLIN = { locale: 'de-DE', timezone: 'Europe/Berlin', currency: 'EUR' };

describe('the tenant settings', () => {
  it('are the installation defaults, at version 0, until the tenant sets its own', async () => {
    const tenant = randomUUID();
    for (const role of ['admin', 'manager', 'staff', 'sales_rep'] as const) {
      const res = await (await as(tenant, role)).get<TenantSettings>('/crm/settings/tenant');
      expect(res.status, role).toBe(200);
      expect(res.body).toEqual({
        locale: 'en-US',
        timezone: 'UTC',
        currency: 'USD',
        version: 0,
        updated_at: null,
      });
      expect(res.headers.get('etag')).toBe('"0"');
    }
  });

  it('are set by an admin in canonical form, read by every staff role, and published', async () => {
    const tenant = randomUUID();
    const listening = await bus.listen(CRM_EXCHANGE, 'crm.tenant.settings_changed.v1');
    try {
      const admin = await as(tenant, 'admin', 'admin-ada');
      const put = await admin.put<TenantSettings>(
        '/crm/settings/tenant',
        { locale: 'en-gb', timezone: 'europe/london', currency: 'GBP' },
        { headers: { 'if-match': '"0"' } },
      );
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body).toMatchObject({
        locale: 'en-GB',
        timezone: 'Europe/London',
        currency: 'GBP',
        version: 1,
      });
      expect(put.body.updated_at).not.toBeNull();
      expect(put.headers.get('etag')).toBe('"1"');

      const read = await (await as(tenant, 'staff')).get<TenantSettings>('/crm/settings/tenant');
      expect(read.body).toEqual(put.body);

      const event = await waitFor(() => listening.events.find((e) => e.tenantid === tenant), {
        what: 'crm.tenant.settings_changed.v1',
      });
      expect(event.sequence).toBe('1');
      expect(TenantSettingsChangedPayload.parse(event.data)).toEqual({
        settings: put.body,
        changed_by: { type: 'staff', id: 'admin-ada', name: null },
      });

      // The same values again change nothing: no new version, no event.
      const again = await admin.put<TenantSettings>('/crm/settings/tenant', {
        locale: 'en-GB',
        timezone: 'Europe/London',
        currency: 'GBP',
      });
      expect(again.body.version).toBe(1);
      const changed = await admin.put<TenantSettings>('/crm/settings/tenant', BERLIN, {
        headers: { 'if-match': '"1"' },
      });
      expect(changed.body).toMatchObject({ ...BERLIN, version: 2 });
      await waitFor(() => listening.events.filter((e) => e.tenantid === tenant).length === 2, {
        what: 'the second change published',
      });
      expect(listening.events.filter((e) => e.tenantid === tenant).map((e) => e.sequence)).toEqual([
        '1',
        '2',
      ]);
    } finally {
      await listening.close();
    }
  });

  it('refuses what is not a locale, an IANA time zone or an ISO currency, naming each field', async () => {
    const admin = await as(randomUUID(), 'admin');
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...BERLIN, locale: 'en_GB' }, ['locale']],
      [{ ...BERLIN, locale: 'zz-ZZ' }, ['locale']],
      [{ ...BERLIN, timezone: 'Mars/Olympus_Mons' }, ['timezone']],
      [{ ...BERLIN, timezone: '+01:00' }, ['timezone']],
      [{ ...BERLIN, currency: 'eur' }, ['currency']],
      [{ ...BERLIN, currency: 'ABC' }, ['currency']],
      [{ locale: 'de-DE' }, ['timezone', 'currency']],
      [{ ...BERLIN, date_format: 'DD.MM.YYYY' }, ['date_format']],
    ];
    for (const [body, fields] of cases) {
      const res = await admin.put<Problem>('/crm/settings/tenant', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors?.map((e) => e.field).sort(), JSON.stringify(body)).toEqual(
        fields.sort(),
      );
    }
    const still = await admin.get<TenantSettings>('/crm/settings/tenant');
    expect(still.body.version).toBe(0);
  });

  it('may be changed by admins only', async () => {
    const tenant = randomUUID();
    for (const role of ['manager', 'staff', 'sales_rep', 'customer'] as const) {
      const res = await (await as(tenant, role)).put<Problem>('/crm/settings/tenant', BERLIN);
      expect(res.status, role).toBe(403);
    }
    expect((await (await as(tenant, 'customer')).get('/crm/settings/tenant')).status).toBe(403);
    const read = await (await as(tenant, 'admin')).get<TenantSettings>('/crm/settings/tenant');
    expect(read.body.version).toBe(0);
  });

  it('refuses a change made on a stale version, and lets one of two first changes win', async () => {
    const admin = await as(randomUUID(), 'admin');
    const [first, second] = await Promise.all([
      admin.put<TenantSettings>('/crm/settings/tenant', BERLIN, {
        headers: { 'if-match': '"0"' },
      }),
      admin.put<TenantSettings>(
        '/crm/settings/tenant',
        { locale: 'fr-FR', timezone: 'Europe/Paris', currency: 'EUR' },
        { headers: { 'if-match': '"0"' } },
      ),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 412]);
    const winner = first.status === 200 ? first.body : second.body;
    const stored = await admin.get<TenantSettings>('/crm/settings/tenant');
    expect(stored.body).toEqual(winner);

    const stale = await admin.put<Problem>('/crm/settings/tenant', BERLIN, {
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');
  });

  it("are each tenant's own", async () => {
    const a = randomUUID();
    const b = randomUUID();
    const put = await (await as(a, 'admin')).put('/crm/settings/tenant', BERLIN);
    expect(put.status).toBe(200);
    const other = await (await as(b, 'staff')).get<TenantSettings>('/crm/settings/tenant');
    expect(other.body).toMatchObject({ locale: 'en-US', timezone: 'UTC', version: 0 });
    // A token of tenant B naming tenant A is refused before anything is read.
    const crossed = await (
      await as(b, 'admin')
    ).get('/crm/settings/tenant', { headers: { 'x-tenant-id': a } });
    expect(crossed.status).toBe(403);
    const mine = await (await as(a, 'manager')).get<TenantSettings>('/crm/settings/tenant');
    expect(mine.body).toMatchObject(BERLIN);
  });

  it('start from the defaults the installation configures', async () => {
    const configured = await startTestGateway({
      TENANT_LOCALE: 'de-de',
      TENANT_TIMEZONE: 'europe/vienna',
      TENANT_CURRENCY: 'EUR',
    });
    try {
      const res = await api(configured.url)
        .as(await tokenFor(randomUUID(), 'staff'))
        .get<TenantSettings>('/crm/settings/tenant');
      expect(res.body).toEqual({
        locale: 'de-DE',
        timezone: 'Europe/Vienna',
        currency: 'EUR',
        version: 0,
        updated_at: null,
      });
    } finally {
      await configured.close();
    }
  });
});
