import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Customer, SearchPage } from '@crm/contracts';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  api,
  buildCustomer,
  newTenant,
  testEnv,
  tokenFor,
  useService,
  waitFor,
} from '@crm/testing';
import { searchDocuments } from '../src/db/schema.js';
import { PostgresSearchIndex } from '../src/db/search.repository.js';
import {
  reindexSearch,
  type ReindexOptions,
  type ReindexProgress,
} from '../src/domain/search/reindex-search.js';
import type { SearchIndex } from '../src/domain/search/search-index.js';
import { profilesService } from '../src/service.js';
import { withFirstBatchHook } from './fixtures.js';

const run = promisify(execFile);
const svc = useService(profilesService);

const db = () => svc.kit.database.db;

function reindexWith(index: SearchIndex, options: ReindexOptions): Promise<ReindexProgress> {
  return reindexSearch({ ...svc.deps.search, index }, options);
}

async function createPeople(tenant: string, lastName: string, n: number): Promise<Customer[]> {
  const admin = await tokenFor(tenant, 'admin');
  const out: Customer[] = [];
  for (let i = 0; i < n; i++) {
    const r = await api(svc.url)
      .as(admin)
      .post<Customer>(
        '/crm/customers',
        buildCustomer({ first_name: `Person${String(i)}`, last_name: lastName }),
      );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    out.push(r.body);
  }
  return out;
}

async function documents(tenant: string): Promise<{ id: string; version: number; last: string }[]> {
  const rows = await db()
    .select({
      id: searchDocuments.customerId,
      version: searchDocuments.version,
      last: searchDocuments.lastName,
    })
    .from(searchDocuments)
    .where(eq(searchDocuments.tenantId, tenant));
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

async function found(tenant: string, q: string): Promise<string[]> {
  const admin = await tokenFor(tenant, 'admin');
  const r = await api(svc.url)
    .as(admin)
    .get<SearchPage>(`/crm/search?q=${encodeURIComponent(q)}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.map((h) => h.id).sort();
}

async function indexed(tenant: string, n: number): Promise<void> {
  await waitFor(async () => (await documents(tenant)).length === n, { what: `${n} documents` });
}

async function wipe(tenant: string): Promise<void> {
  await db().delete(searchDocuments).where(eq(searchDocuments.tenantId, tenant));
}

describe('search reindex', () => {
  it('rebuilds wiped documents in batches so search finds the customers again, and leaves other tenants alone', async () => {
    const tenant = newTenant();
    const other = newTenant();
    const people = await createPeople(tenant, 'Quillfeather', 5);
    await createPeople(other, 'Quillfeather', 2);
    await indexed(tenant, 5);
    await indexed(other, 2);
    const ids = people.map((p) => p.id).sort();
    expect(await found(tenant, 'quillfeather')).toEqual(ids);

    await wipe(tenant);
    expect(await found(tenant, 'quillfeather')).toEqual([]);

    const batches: ReindexProgress[] = [];
    const result = await reindexWith(new PostgresSearchIndex(db()), {
      tenants: [tenant],
      batchSize: 2,
      onBatch: (p) => {
        batches.push(structuredClone(p));
      },
    });
    expect(result).toMatchObject({ done: 5, total: 5, rewritten: 0, removed: 0 });
    expect(batches.map((b) => b.done)).toEqual([2, 4, 5]);
    expect(batches.at(-1)?.position).toEqual({ tenantId: tenant, afterId: ids[4] });
    expect(await found(tenant, 'quillfeather')).toEqual(ids);
    expect(await found(tenant, people[0]?.email ?? '')).toEqual([people[0]?.id]);
    expect((await documents(other)).length).toBe(2);
  });

  it('resumes after a position: customers up to it are not read again', async () => {
    const tenant = newTenant();
    const people = await createPeople(tenant, 'Marrowdale', 4);
    await indexed(tenant, 4);
    await wipe(tenant);
    const ids = people.map((p) => p.id).sort();
    const result = await reindexWith(new PostgresSearchIndex(db()), {
      tenants: [tenant],
      batchSize: 10,
      from: { tenantId: tenant, afterId: ids[1] ?? null },
    });
    expect(result.done).toBe(2);
    expect((await documents(tenant)).map((d) => d.id)).toEqual(ids.slice(2));
  });

  it('keeps the newer document when a customer is updated while its batch is being written', async () => {
    const tenant = newTenant();
    const [person] = await createPeople(tenant, 'Oldname', 1);
    if (!person) throw new Error('no customer');
    await indexed(tenant, 1);
    const admin = await tokenFor(tenant, 'admin');
    const postgres = new PostgresSearchIndex(db());
    let raced = false;
    // Between reading the batch (version 1) and writing it, the customer becomes version 2
    // and the service's own handler indexes that.
    const racing = withFirstBatchHook(postgres, async (docs) => {
      raced = true;
      expect(docs.map((d) => d.version)).toEqual([1]);
      const patched = await api(svc.url)
        .as(admin)
        .patch<Customer>(
          `/crm/customers/${person.id}`,
          { last_name: 'Newname' },
          { headers: { 'if-match': '"1"' } },
        );
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      await waitFor(async () => (await documents(tenant))[0]?.version === 2, {
        what: 'the live update indexed',
      });
    });
    await reindexWith(racing, { tenants: [tenant], batchSize: 100 });
    expect(raced).toBe(true);
    expect(await documents(tenant)).toEqual([{ id: person.id, version: 2, last: 'Newname' }]);
    expect(await found(tenant, 'newname')).toEqual([person.id]);
    expect(await found(tenant, 'oldname')).toEqual([]);
  });

  it('drops the document of a customer merged away while the run was catching up', async () => {
    const tenant = newTenant();
    const [keep, lose] = await createPeople(tenant, 'Mergeling', 2);
    if (!keep || !lose) throw new Error('no customers');
    await indexed(tenant, 2);
    const admin = await tokenFor(tenant, 'admin');
    const postgres = new PostgresSearchIndex(db());
    // The batch was read with both; the merge commits and its handler runs first.
    const merging = withFirstBatchHook(postgres, async () => {
      const r = await api(svc.url)
        .as(admin)
        .post(
          `/crm/customers/${keep.id}/merge`,
          { merge_ids: [lose.id] },
          { headers: { 'if-match': '"1"' } },
        );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      await waitFor(async () => (await documents(tenant)).length === 1, {
        what: 'the merged document removed',
      });
    });
    const result = await reindexWith(merging, { tenants: [tenant], batchSize: 100 });
    expect(result.removed).toBe(1);
    expect((await documents(tenant)).map((d) => d.id)).toEqual([keep.id]);
  });

  it('runs as a command: progress, a JSON summary, a state file that marks the run done', async () => {
    const tenant = newTenant();
    const people = await createPeople(tenant, 'Commandline', 3);
    await indexed(tenant, 3);
    await wipe(tenant);
    const dir = mkdtempSync(join(os.tmpdir(), 'reindex-'));
    const stateFile = join(dir, 'state.json');
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const reindexCommand = (args: string[]) =>
      run(
        process.execPath,
        ['--import', 'tsx', '--conditions=source', 'services/profiles/src/cli/reindex.ts', ...args],
        { cwd: root, env: { ...process.env, ...testEnv() } },
      );
    const { stdout, stderr } = await reindexCommand([
      '--tenant',
      tenant,
      '--batch-size',
      '2',
      '--state-file',
      stateFile,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ engine: 'postgres', documents: 3 });
    expect(stderr).toContain('reindex: 3/3 (100.0 %)');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({
      tenants: [tenant],
      done: true,
      documents: 3,
    });
    expect((await documents(tenant)).map((d) => d.id)).toEqual(people.map((p) => p.id).sort());

    const bad = await reindexCommand(['--tenant', 'not-a-uuid']).catch(
      (err: unknown) => err as { code: number; stderr: string },
    );
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain('--tenant not-a-uuid is not a UUID');
  }, 120_000);
});
