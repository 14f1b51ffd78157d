import type { Customer } from '@crm/contracts';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  api,
  buildCustomer,
  newTenant,
  startTestService,
  tokenFor,
  useService,
} from '@crm/testing';
import { profilesService } from '../src/service.js';

const svc = useService(profilesService);

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
      await api(svc.url).as(admin).post('/crm/custom-fields', body);
    }
    await api(svc.url).as(admin).post('/crm/tags', { name: 'Gold' });
    const ids: string[] = [];
    for (let i = 0; i < 1203; i += 1) {
      const r = await api(svc.url)
        .as(admin)
        .post<Customer>(
          '/crm/customers',
          buildCustomer(
            i === 0
              ? {
                  company_name: '=HYPERLINK("http://evil")',
                  custom_fields: { hobby: 'Chess, "blitz"', passport: 'X1' },
                }
              : { vip_status: i % 2 === 0 },
          ),
        );
      ids.push(r.body.id);
    }
    await api(svc.url)
      .as(admin)
      .post(`/crm/customers/${ids[0] ?? ''}/tags`, { add: ['Gold'] });
    await api(svc.url)
      .as(await tokenFor(newTenant(), 'admin'))
      .post('/crm/customers', buildCustomer());

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
    const off = (
      await startTestService(profilesService, {
        env: {
          EXPORT_ENABLED: 'false',
        },
      })
    ).service;
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
