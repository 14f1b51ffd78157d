import type { Customer, SearchPage } from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestService, tokenFor, waitFor } from '../../../test/support/services.js';
import type { ProfilesConfig } from '../src/config.js';
import { migrationsFolder } from '../src/db/migrations-folder.js';
import { profilesService, type ProfilesDeps } from '../src/service.js';
import { buildCustomerBody, newTenant } from './factories.js';

const MEILI_URL = process.env.MEILI_URL;
if (!MEILI_URL) {
  console.warn(
    'SKIPPED: services/profiles/test/meili.int.test.ts needs a Meilisearch server; set MEILI_URL (and MEILI_API_KEY) to run the real-server search tests.',
  );
}

describe.skipIf(!MEILI_URL)('search on a real Meilisearch (MEILI_URL)', () => {
  let svc: RunningService<ProfilesConfig, ProfilesDeps>;

  beforeAll(async () => {
    svc = await startTestService(profilesService, migrationsFolder, {
      MEILI_URL: MEILI_URL ?? '',
      ...(process.env.MEILI_API_KEY ? { MEILI_API_KEY: process.env.MEILI_API_KEY } : {}),
      MEILI_INDEX: `crm_customers_test_${Date.now()}`,
    });
  });

  afterAll(async () => {
    await svc.stop();
  });

  it('finds by prefix, typo and email within the tenant only, about a second after the change', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = await call<Customer>(svc.url, 'POST', '/crm/customers', {
      token: admin,
      body: buildCustomerBody({ first_name: 'Grace', last_name: 'Hopper' }),
    });
    const started = Date.now();
    const find = async (q: string, token = admin) =>
      (await call<SearchPage>(svc.url, 'GET', `/crm/search?q=${encodeURIComponent(q)}`, { token }))
        .body;
    await waitFor(async () => (await find('hop')).data.length === 1, {
      what: 'indexing',
      intervalMs: 50,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await find('hoper')).data.map((h) => h.id)).toEqual([created.body.id]);
    expect((await find(created.body.email ?? '')).data.map((h) => h.id)).toEqual([created.body.id]);
    expect((await find('hopper')).engine).toBe('meilisearch');
    expect((await find('hopper', await tokenFor(newTenant(), 'admin'))).data).toEqual([]);
  });
});
