import type { Customer } from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { parse } from 'csv-parse/sync';
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

async function download(token: string, query = '') {
  const res = await fetch(`${svc.url}/crm/customers/export${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('CSV export', () => {
  it('streams every customer of the tenant with tags and non-sensitive custom fields, formulas defused', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    for (const body of [
      { field_name: 'hobby', field_label: 'Hobby', field_type: 'text' },
      { field_name: 'passport', field_label: 'Passport', field_type: 'text', is_sensitive: true },
    ]) {
      await call(svc.url, 'POST', '/crm/custom-fields', { token: admin, body });
    }
    await call(svc.url, 'POST', '/crm/tags', { token: admin, body: { name: 'Gold' } });
    const ids: string[] = [];
    for (let i = 0; i < 1203; i += 1) {
      const r = await call<Customer>(svc.url, 'POST', '/crm/customers', {
        token: admin,
        body: buildCustomerBody(
          i === 0
            ? {
                company_name: '=HYPERLINK("http://evil")',
                custom_fields: { hobby: 'Chess, "blitz"', passport: 'X1' },
              }
            : { vip_status: i % 2 === 0 },
        ),
      });
      ids.push(r.body.id);
    }
    await call(svc.url, 'POST', `/crm/customers/${ids[0] ?? ''}/tags`, {
      token: admin,
      body: { add: ['Gold'] },
    });
    await call(svc.url, 'POST', '/crm/customers', {
      token: await tokenFor(newTenant(), 'admin'),
      body: buildCustomerBody(),
    });

    const r = await download(admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(r.headers.get('content-disposition')).toContain('customers.csv');
    const rows = parse<Record<string, string>>(r.text, { columns: true });
    expect(rows.map((row) => row.id)).toEqual(ids);
    const first = rows[0];
    expect(first?.company_name).toBe('\'=HYPERLINK("http://evil")');
    expect(first?.['custom.hobby']).toBe('Chess, "blitz"');
    expect(first?.tags).toBe('Gold');
    expect(Object.keys(first ?? {})).not.toContain('custom.passport');
    expect(r.text).not.toContain('X1');

    const vip = parse<Record<string, string>>((await download(admin, '?vip=true')).text, {
      columns: true,
    });
    expect(vip).toHaveLength(601);
    expect((await download(admin, '?vip=maybe')).status).toBe(422);
  }, 120_000);

  it('is for admins, and obeys export_enabled', async () => {
    const tenant = newTenant();
    for (const role of ['manager', 'staff', 'sales_rep', 'customer'] as const) {
      const r = await download(await tokenFor(tenant, role));
      expect(r.status, role).toBe(403);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    const off = await startTestService(profilesService, migrationsFolder, {
      EXPORT_ENABLED: 'false',
    });
    try {
      const res = await fetch(`${off.url}/crm/customers/export`, {
        headers: { authorization: `Bearer ${await tokenFor(tenant, 'admin')}` },
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toContain('export_enabled');
    } finally {
      await off.stop();
    }
  });
});
