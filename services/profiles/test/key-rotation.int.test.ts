import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Customer, Problem } from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  api,
  buildCustomer,
  newTenant,
  startTestService,
  TEST_JWT_SECRET,
  tokenFor,
} from '@crm/testing';
import type { ProfilesConfig } from '../src/config.js';
import type { ProfilesDeps } from '../src/deps.js';
import { profilesService } from '../src/service.js';

type Profiles = RunningService<ProfilesConfig, ProfilesDeps>;

const v1 = `v1:${randomBytes(32).toString('base64')}`;
const v2 = `v2:${randomBytes(32).toString('base64')}`;
const running: Profiles[] = [];
let db: pg.Client;

async function start(keys: string, active?: string): Promise<Profiles> {
  // Three services at once: small pools, so the suite's other files keep their connections.
  const svc = (
    await startTestService(profilesService, {
      env: {
        DATABASE_POOL_MAX: '3',
        FIELD_ENCRYPTION_KEYS: keys,
        ...(active ? { FIELD_ENCRYPTION_ACTIVE_KEY: active } : {}),
      },
    })
  ).service;
  running.push(svc);
  return svc;
}

async function rotate(tenant: string, keys: string, active: string) {
  const cli = fileURLToPath(new URL('../src/cli/rotate-keys.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
  const out = await promisify(execFile)(
    tsx,
    ['--conditions=source', cli, '--tenant', tenant, '--batch', '2'],
    {
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'silent',
        FIELD_ENCRYPTION_KEYS: keys,
        FIELD_ENCRYPTION_ACTIVE_KEY: active,
      },
    },
  );
  return out.stdout
    .trim()
    .split('\n')
    .map(
      (line) =>
        JSON.parse(line) as {
          phase: string;
          rewrapped?: number;
          remaining?: number;
          sealed?: number;
        },
    );
}

async function masterKeys(tenant: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT DISTINCT master_key_id AS id FROM profiles.customer_keys WHERE tenant_id = $1',
    [tenant],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});

afterAll(async () => {
  await db.end();
  for (const svc of running) await svc.stop();
});

describe('master key rotation', () => {
  it('re-wraps every data key with the new master key; reads work throughout and without the old key', async () => {
    const tenant = newTenant();
    const onlyV1 = await start(v1);
    const admin = await tokenFor(tenant, 'admin');
    const field = await api(onlyV1.url).as(admin).post('/crm/custom-fields', {
      field_name: 'passport_no',
      field_label: 'Passport',
      field_type: 'text',
      is_sensitive: true,
    });
    expect(field.status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const c = await api(onlyV1.url)
        .as(admin)
        .post<Customer>(
          '/crm/customers',
          buildCustomer({ custom_fields: { passport_no: `P-${i}` } }),
        );
      expect(c.status).toBe(201);
      ids.push(c.body.id);
    }
    expect(await masterKeys(tenant)).toEqual(['v1']);
    // A value written before values were sealed is still in clear: reads pass it through
    // until the rotate command seals it.
    await db.query(
      `UPDATE profiles.custom_field_values SET value = '"P-4"'::jsonb
        WHERE tenant_id = $1 AND customer_id = $2`,
      [tenant, ids[4]],
    );

    // Step 1 of the runbook: the service runs with both keys, v2 active.
    const both = await start(`${v1},${v2}`, 'v2');
    const readAll = async (svc: Profiles) => {
      const values: unknown[] = [];
      for (const id of ids) {
        const r = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        values.push(r.body.custom_fields?.passport_no);
      }
      return values;
    };
    const expected = ids.map((_, i) => `P-${i}`);
    expect(await readAll(both)).toEqual(expected);
    // A customer created meanwhile gets a key wrapped by v2 at once.
    const fresh = await api(both.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ custom_fields: { passport_no: 'P-new' } }));
    ids.push(fresh.body.id);
    expected.push('P-new');
    expect((await masterKeys(tenant)).sort()).toEqual(['v1', 'v2']);

    // Step 2: re-wrap, in batches, with progress.
    const lines = await rotate(tenant, `${v1},${v2}`, 'v2');
    expect(lines[0]).toEqual({ phase: 'seal', sealed: 1 });
    expect(lines.find((l) => l.phase === 'start')).toMatchObject({ remaining: 5 });
    const { rows: legacy } = await db.query<{ value: unknown }>(
      'SELECT value FROM profiles.custom_field_values WHERE tenant_id = $1 AND customer_id = $2',
      [tenant, ids[4]],
    );
    expect(String(legacy[0]?.value)).toMatch(/^enc1\./);
    expect(lines.filter((l) => l.phase === 'batch').length).toBe(3);
    expect(lines.at(-1)).toMatchObject({ phase: 'done', rewrapped: 5, remaining: 0 });
    expect(await masterKeys(tenant)).toEqual(['v2']);
    expect(await readAll(both)).toEqual(expected);
    // Running it again finds nothing left to do.
    expect((await rotate(tenant, `${v1},${v2}`, 'v2')).at(-1)).toMatchObject({
      rewrapped: 0,
      remaining: 0,
    });

    // Step 3: v1 leaves the keyring; everything still reads.
    const onlyV2 = await start(v2);
    expect(await readAll(onlyV2)).toEqual(expected);
    // A service still holding only the retired key cannot read, and says why.
    const stale = await api(onlyV1.url).as(admin).get<Problem>(`/crm/customers/${ids[0]}`);
    expect(stale.status).toBe(500);
    expect(stale.body.detail).toMatch(/master key v2, which is not in FIELD_ENCRYPTION_KEYS/);
  }, 120_000);
});
