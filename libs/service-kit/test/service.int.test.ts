import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROBLEM_CONTENT_TYPE, ROLES, newId, type RouteDefinition } from '@crm/contracts';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, waitFor } from '@crm/testing';
import { signDevToken } from '../src/auth.js';
import { handle } from '../src/routes.js';
import { BaseConfig } from '../src/config.js';
import { startService, type RunningService, type ServiceDefinition } from '../src/service.js';
import type { TestService } from './fixtures/schema.js';
import {
  createTestServiceDb,
  gate,
  migrationsFor,
  testEnv,
  uniqueName,
  type TestServiceDb,
} from './support.js';

const SECRET = 'a-development-secret-of-more-than-32-chars';
const CreateRecord = z.object({ name: z.string().min(1).max(100) }).strict();

const common = { service: 'profiles', tags: ['Test'], roles: ROLES, auth: 'jwt' } as const;
const json = (schema: z.ZodType) => ({
  description: 'ok',
  contentType: 'application/json',
  schema,
});

/** Routes of this test service, declared as the contracts declare a real service's. */
const testRoutes = {
  createRecord: {
    ...common,
    id: 'createRecord',
    method: 'post',
    path: '/crm/records',
    summary: 'Create a record',
    request: { body: CreateRecord },
    responses: {
      201: {
        ...json(z.object({ id: z.string(), name: z.string() })),
        headers: z.object({ Location: z.string() }),
      },
    },
  },
  flaky: {
    ...common,
    id: 'flaky',
    method: 'post',
    path: '/crm/flaky',
    summary: 'Fails on its first call per tenant',
    request: {},
    responses: { 201: json(z.object({ attempts: z.number() })) },
  },
  slow: {
    ...common,
    id: 'slow',
    method: 'get',
    path: '/crm/slow',
    summary: 'Waits for the test to let it finish',
    request: {},
    responses: { 200: json(z.object({ done: z.boolean() })) },
  },
} as const satisfies Record<string, RouteDefinition>;

let svc: TestServiceDb;
let migrationsFolder: string;
let running: RunningService<BaseConfig, { tables: TestService }> | null = null;
const tenants = new Set<string>();
const slow = { gate: gate(), entered: false };
const flaky = new Map<string, number>();

function definition(
  tables: TestService,
  folder = migrationsFolder,
): ServiceDefinition<BaseConfig, { tables: TestService }> {
  return {
    name: 'kit-svc',
    schema: tables.schema,
    migrationsFolder: folder,
    config: BaseConfig,
    defaultPort: 0,
    build: () => ({ tables }),
    routes: (deps, kit) => [
      handle(testRoutes.createRecord, async ({ body, principal }) => {
        const id = newId();
        await kit.database.db.transaction(async (tx) => {
          await tx
            .insert(deps.tables.records)
            .values({ id, tenantId: principal.tenant, name: body.name });
          await kit.outbox.append(tx, {
            event: buildEvent('crm.customer.created.v1', { tenantId: principal.tenant }),
          });
        });
        return { id, name: body.name };
      }),
      handle(testRoutes.flaky, ({ principal }) => {
        const attempts = (flaky.get(principal.tenant) ?? 0) + 1;
        flaky.set(principal.tenant, attempts);
        if (attempts === 1) throw new Error('a dependency was down');
        return { attempts };
      }),
      handle(testRoutes.slow, async () => {
        slow.entered = true;
        await slow.gate.wait;
        return { done: true };
      }),
    ],
    handlers: (deps) => ({
      'crm.customer.created.v1': async ({ tx }, event) => {
        if (!tenants.has(event.tenantid)) return;
        await tx
          .insert(deps.tables.effects)
          .values({ id: newId(), tenantId: event.tenantid, eventId: event.id });
      },
    }),
  };
}

function serviceEnv(): Record<string, string> {
  const { databaseUrl, amqpUrl } = testEnv();
  return {
    DATABASE_URL: databaseUrl,
    AMQP_URL: amqpUrl,
    JWT_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    OUTBOX_POLL_MS: '100',
  };
}

beforeAll(async () => {
  svc = await createTestServiceDb('service');
  migrationsFolder = await migrationsFor(svc.schemaName);
  running = await startService(definition(svc.tables), {
    port: 0,
    metricsPort: 0,
    queuePrefix: `${uniqueName('kit-test')}.`,
    env: serviceEnv(),
  });
});

afterAll(async () => {
  slow.gate.open();
  await running?.stop();
  await svc.close();
  await rm(migrationsFolder, { recursive: true, force: true });
});

/**
 * A copy of the service's migrations with `extra` more after them, which the schema has
 * not seen; `edited` also changes the SQL of the one it has, as a rewritten migration would.
 */
async function laterMigrations(extra: number, edited = false): Promise<string> {
  const folder = await migrationsFor(svc.schemaName);
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as {
    entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
  };
  const [first] = journal.entries;
  if (!first) throw new Error('the fixture has no migration');
  if (edited) {
    const file = join(folder, `${first.tag}.sql`);
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited after it was applied\n`);
  }
  for (let i = 1; i <= extra; i++) {
    const tag = `000${i}_later_${i}`;
    journal.entries.push({ ...first, idx: i, when: first.when + i * 1000, tag });
    await writeFile(
      join(folder, `${tag}.sql`),
      `CREATE TABLE "${svc.schemaName}"."later_${i}" ("id" uuid PRIMARY KEY NOT NULL);\n`,
    );
  }
  await writeFile(journalFile, JSON.stringify(journal));
  return folder;
}

function service(): RunningService<BaseConfig, { tables: TestService }> {
  if (!running) throw new Error('the service did not start');
  return running;
}

async function tokenFor(tenant: string): Promise<string> {
  return signDevToken({ secret: SECRET, tenant, role: 'admin' });
}

describe('startService', () => {
  it('is healthy, and ready once database, broker and migrations are', async () => {
    const { url } = service();
    const health = await request(url).get('/healthz').expect(200);
    expect(health.body).toEqual({ status: 'ok', service: 'kit-svc' });

    const ready = await waitFor(async () => {
      const res = await request(url).get('/readyz');
      return res.status === 200 ? res : null;
    });
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', broker: 'ok' },
    });
  });

  it('is not ready while its schema lacks a migration of this build, naming how many', async () => {
    for (const [extra, edited, pending, total] of [
      [2, false, 2, 3],
      [0, true, 1, 1],
    ] as const) {
      const folder = await laterMigrations(extra, edited);
      const behind = await startService(definition(svc.tables, folder), {
        port: 0,
        queuePrefix: `${uniqueName('kit-test-behind')}.`,
        env: serviceEnv(),
      });
      try {
        const res = await request(behind.url).get('/readyz').expect(503);
        expect(res.body).toMatchObject({
          status: 'not_ready',
          checks: { database: 'ok', migrations: `${pending} of ${total} migrations pending` },
        });
      } finally {
        await behind.stop();
        await rm(folder, { recursive: true, force: true });
      }
    }
  });

  it('exposes outbox, consumer and HTTP metrics on a port of their own, not the public one', async () => {
    const { url, metricsUrl } = service();
    expect(metricsUrl).not.toBe(url);
    await request(url).get('/healthz').expect(200);
    const token = await tokenFor(newId());
    await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${token}`)
      .send({ name: 'labelled' })
      .expect(201);
    await request(url).get('/metrics').expect(404);
    await request(metricsUrl).get('/healthz').expect(404);
    const res = await request(metricsUrl).get('/metrics').expect(200);
    const text = res.text;
    for (const name of [
      'outbox_pending_events',
      'outbox_oldest_pending_seconds',
      'consumer_queue_depth',
      'http_request_duration_seconds',
      'consumer_messages_total',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/^outbox_pending_events\{service="kit-svc"\} \d+$/m);
    // A request is labelled with the route it matched, not with its own path.
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{[^}]*route="\/crm\/records"[^}]*status="201"[^}]*\} [1-9]/m,
    );
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const { url } = service();
    const res = await request(url).get('/nowhere').expect(404);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found' });

    const token = await tokenFor(newId());
    await request(url).get('/crm/nowhere').set('authorization', `Bearer ${token}`).expect(404);
    await request(url).get('/crm/nowhere').expect(401);
  });

  it('refuses a body that is not JSON (415) or too large (413)', async () => {
    const { url } = service();
    const token = await tokenFor(newId());
    const text = await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'text/plain')
      .send('name=Ada')
      .expect(415);
    expect(text.body).toMatchObject({ code: 'unsupported_media_type' });

    const large = await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${token}`)
      .send({ name: 'x'.repeat(300 * 1024) })
      .expect(413);
    expect(large.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(large.body).toMatchObject({ code: 'payload_too_large' });
  });

  it('writes, publishes after commit and consumes its own event', async () => {
    const { url } = service();
    const tenant = newId();
    tenants.add(tenant);
    const res = await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${await tokenFor(tenant)}`)
      .send({ name: 'Ada' })
      .expect(201);
    const created = z.object({ id: z.uuid(), name: z.string() }).parse(res.body);
    expect(res.headers.location).toBe(`/crm/records/${created.id}`);
    const effects = svc.tables.effects;
    await waitFor(
      async () =>
        (await svc.database.db.select().from(effects).where(eq(effects.tenantId, tenant)))
          .length === 1,
      { what: 'event published and handled' },
    );
  });

  it('replays a POST sent again with the same Idempotency-Key', async () => {
    const { url } = service();
    const tenant = newId();
    const token = await tokenFor(tenant);
    const key = `key-${newId()}`;
    const first = await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send({ name: 'Once' })
      .expect(201);
    const records = svc.tables.records;
    const again = await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send({ name: 'Once' })
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(
      await svc.database.db.select().from(records).where(eq(records.tenantId, tenant)),
    ).toHaveLength(1);
    const conflict = await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send({ name: 'Something else' })
      .expect(409);
    expect(conflict.body).toMatchObject({ code: 'idempotency_conflict' });
  });

  it('runs the handler once for concurrent POSTs with one Idempotency-Key', async () => {
    const { url } = service();
    const tenant = newId();
    const token = await tokenFor(tenant);
    const key = `key-${newId()}`;
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(url)
          .post('/crm/records')
          .set('authorization', `Bearer ${token}`)
          .set('idempotency-key', key)
          .send({ name: 'Racing' }),
      ),
    );
    const records = svc.tables.records;
    expect(
      await svc.database.db.select().from(records).where(eq(records.tenantId, tenant)),
    ).toHaveLength(1);
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of created) expect(r.body).toEqual(created[0]?.body);
    // The others were told to retry, not given a second, different result.
    for (const r of responses.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'conflict' });
    }
  });

  it('lets a retry run again after the first attempt failed with a 5xx', async () => {
    const { url } = service();
    const tenant = newId();
    const token = await tokenFor(tenant);
    const key = `key-${newId()}`;
    const post = () =>
      request(url)
        .post('/crm/flaky')
        .set('authorization', `Bearer ${token}`)
        .set('idempotency-key', key)
        .send({});
    await post().expect(500);
    // The key is freed when the failed response has gone out; until then a retry is told to wait.
    const retried = await waitFor(async () => {
      const res = await post();
      return res.status === 201 ? res : null;
    });
    expect(retried.body).toEqual({ attempts: 2 });
    const replayed = await post().expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(flaky.get(tenant)).toBe(2);
  });

  it('takes over a key whose first request died without answering', async () => {
    const { url } = service();
    const tenant = newId();
    const token = await tokenFor(tenant);
    const key = `key-${newId()}`;
    const body = { name: 'Orphan' };
    const first = await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send(body)
      .expect(201);
    const keys = svc.tables.idempotencyKeys;
    // As a process killed mid-request leaves it: reserved long ago, never answered.
    await svc.database.db
      .update(keys)
      .set({ status: 0, body: '', createdAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(keys.key, key));
    const again = await request(url)
      .post('/crm/records')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send(body)
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body).not.toEqual(first.body);
  });

  it('stops gracefully: the request in flight completes, then nothing is served', async () => {
    const running = service();
    const { url } = running;
    const inFlight = request(url)
      .get('/crm/slow')
      .set('authorization', `Bearer ${await tokenFor(newId())}`)
      .then((res) => res);
    await waitFor(() => slow.entered, { what: 'slow request started' });

    const stopping = running.stop();
    slow.gate.open();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ done: true });
    await stopping;

    await expect(request(url).get('/healthz')).rejects.toThrow(/ECONNREFUSED/);
    expect(running.kit.broker.connected).toBe(false);
    expect(running.kit.database.pool.ended).toBe(true);
  });
});
