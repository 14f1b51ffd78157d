import type { Customer } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, newTenant, tokenFor, waitFor } from '@crm/testing';
import { MeiliSearchIndex } from '../src/clients/meili-search.js';
import {
  reindexSearch,
  type ReindexOptions,
  type ReindexProgress,
} from '../src/domain/search/reindex-search.js';
import type { SearchIndex } from '../src/domain/search/search-index.js';
import { useProfilesOnMeiliStandIn, withFirstBatchHook } from './fixtures.js';

const INDEX = 'crm_customers_reindex_test';
const searchEngine = useProfilesOnMeiliStandIn(INDEX);
const { svc } = searchEngine;

function reindexWith(index: SearchIndex, options: ReindexOptions): Promise<ReindexProgress> {
  return reindexSearch({ ...svc.deps.search, index }, options);
}

async function createPeople(tenant: string, n: number): Promise<Customer[]> {
  const admin = await tokenFor(tenant, 'admin');
  const out: Customer[] = [];
  for (let i = 0; i < n; i++) {
    const r = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ last_name: `Meiling${String(i)}` }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    out.push(r.body);
  }
  await waitFor(() => Promise.resolve(out.every((c) => searchEngine.standIn.docs.has(c.id))), {
    what: 'documents in the stand-in',
  });
  return out;
}

describe('search reindex into Meilisearch (loopback stand-in)', () => {
  it('sends the tenant’s documents in batches and waits for each task', async () => {
    const tenant = newTenant();
    const people = await createPeople(tenant, 3);
    for (const p of people) searchEngine.standIn.docs.delete(p.id);
    const sentBefore = searchEngine.standIn.requests.length;

    const result = await reindexWith(
      new MeiliSearchIndex({ url: searchEngine.standIn.url, index: INDEX }),
      { tenants: [tenant], batchSize: 2 },
    );

    expect(result.done).toBe(3);
    const requests = searchEngine.standIn.requests.slice(sentBefore);
    const writes = requests.filter(
      (r) => r.method === 'POST' && r.path === `/indexes/${INDEX}/documents`,
    );
    expect(writes.map((w) => (w.body as unknown[]).length)).toEqual([2, 1]);
    // Each write is followed by a poll of its task before the next batch goes out.
    const kinds = requests
      .filter((r) => r.path.startsWith('/tasks/') || r.path.endsWith('/documents'))
      .map((r) => (r.path.startsWith('/tasks/') ? 'task' : 'write'));
    expect(kinds).toEqual(['write', 'task', 'write', 'task']);
    for (const p of people) {
      expect(searchEngine.standIn.docs.get(p.id)).toMatchObject({
        id: p.id,
        tenant_id: tenant,
        last_name: p.last_name,
        version: 1,
      });
    }
  });

  it('writes a customer again when it changed while its batch was in flight (Meilisearch keeps the last write)', async () => {
    const tenant = newTenant();
    const [person] = await createPeople(tenant, 1);
    if (!person) throw new Error('no customer');
    const admin = await tokenFor(tenant, 'admin');
    const meili = new MeiliSearchIndex({ url: searchEngine.standIn.url, index: INDEX });
    let raced = false;
    const racing = withFirstBatchHook(meili, async () => {
      raced = true;
      const patched = await api(svc.url)
        .as(admin)
        .patch<Customer>(
          `/crm/customers/${person.id}`,
          { last_name: 'Renamed' },
          { headers: { 'if-match': '"1"' } },
        );
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      await waitFor(
        () => Promise.resolve(searchEngine.standIn.docs.get(person.id)?.version === 2),
        {
          what: 'the live update in the stand-in',
        },
      );
      // The stale batch (version 1) lands after the live update, as it would in production.
    });

    const result = await reindexWith(racing, { tenants: [tenant], batchSize: 10 });

    expect(raced).toBe(true);
    expect(result.rewritten).toBe(1);
    expect(searchEngine.standIn.docs.get(person.id)).toMatchObject({
      version: 2,
      last_name: 'Renamed',
    });
  });
});
