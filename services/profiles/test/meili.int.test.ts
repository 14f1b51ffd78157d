import type { SearchPage } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, createCustomer, newTenant, tokenFor, useService, waitFor } from '@crm/testing';
import { profilesService } from '../src/service.js';

const MEILI_URL = process.env.MEILI_URL;
if (!MEILI_URL) {
  console.warn(
    'SKIPPED: services/profiles/test/meili.int.test.ts needs a Meilisearch server; set MEILI_URL (and MEILI_API_KEY) to run the real-server search tests.',
  );
}

describe.skipIf(!MEILI_URL)('search on a real Meilisearch (MEILI_URL)', () => {
  const svc = useService(profilesService, {
    env: {
      MEILI_URL: MEILI_URL ?? '',
      ...(process.env.MEILI_API_KEY ? { MEILI_API_KEY: process.env.MEILI_API_KEY } : {}),
      MEILI_INDEX: `crm_customers_test_${Date.now()}`,
    },
  });

  it('finds by prefix, typo and email within the tenant only, about a second after the change', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = await createCustomer(api(svc.url).as(admin), {
      first_name: 'Grace',
      last_name: 'Hopper',
    });
    const started = Date.now();
    const find = async (q: string, token = admin) =>
      (
        await api(svc.url)
          .as(token)
          .get<SearchPage>(`/crm/search?q=${encodeURIComponent(q)}`)
      ).body;
    await waitFor(async () => (await find('hop')).data.length === 1, {
      what: 'indexing',
      intervalMs: 50,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await find('hoper')).data.map((h) => h.id)).toEqual([created.id]);
    expect((await find(created.email ?? '')).data.map((h) => h.id)).toEqual([created.id]);
    expect((await find('hopper')).engine).toBe('meilisearch');
    expect((await find('hopper', await tokenFor(newTenant(), 'admin'))).data).toEqual([]);
  });
});
