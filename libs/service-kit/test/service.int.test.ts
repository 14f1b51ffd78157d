import { PROBLEM_CONTENT_TYPE, newId } from '@crm/contracts';
import { eq } from 'drizzle-orm';
import { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, waitFor } from '@crm/testing';
import { principalOf, signDevToken } from '../src/auth.js';
import { BaseConfig } from '../src/config.js';
import { startService, type RunningService, type ServiceDefinition } from '../src/service.js';
import { parse } from '../src/validate.js';
import type { TestService } from './fixtures/schema.js';
import { createTestServiceDb, gate, testEnv, uniqueName, type TestServiceDb } from './support.js';

const SECRET = 'a-development-secret-of-more-than-32-chars';
const CreateRecord = z.object({ name: z.string().min(1).max(100) }).strict();

let svc: TestServiceDb;
let running: RunningService<BaseConfig, { tables: TestService }> | null = null;
const tenants = new Set<string>();
const slow = { gate: gate(), entered: false };
const flaky = new Map<string, number>();

function definition(tables: TestService): ServiceDefinition<BaseConfig, { tables: TestService }> {
  return {
    name: 'kit-svc',
    schema: tables.schema,
    config: BaseConfig,
    defaultPort: 0,
    build: () => ({ tables }),
    routes: (deps, kit) => {
      const router = Router();
      router.post('/crm/records', async (req, res) => {
        const body = parse(CreateRecord, req.body, 'body');
        const { tenant } = principalOf(req);
        const id = newId();
        await kit.database.db.transaction(async (tx) => {
          await tx.insert(deps.tables.records).values({ id, tenantId: tenant, name: body.name });
          await kit.outbox.append(tx, {
            event: buildEvent('crm.customer.created.v1', { tenantId: tenant }),
          });
        });
        res.status(201).location(`/crm/records/${id}`).json({ id, name: body.name });
      });
      router.post('/crm/flaky', (req, res) => {
        const { tenant } = principalOf(req);
        const attempts = (flaky.get(tenant) ?? 0) + 1;
        flaky.set(tenant, attempts);
        if (attempts === 1) throw new Error('a dependency was down');
        res.status(201).json({ attempts });
      });
      router.get('/crm/slow', async (_req, res) => {
        slow.entered = true;
        await slow.gate.wait;
        res.json({ done: true });
      });
      return router;
    },
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

beforeAll(async () => {
  svc = await createTestServiceDb('service');
  const { databaseUrl, amqpUrl } = testEnv();
  running = await startService(definition(svc.tables), {
    port: 0,
    queuePrefix: `${uniqueName('kit-test')}.`,
    env: {
      DATABASE_URL: databaseUrl,
      AMQP_URL: amqpUrl,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      OUTBOX_POLL_MS: '100',
    },
  });
});

afterAll(async () => {
  slow.gate.open();
  await running?.stop();
  await svc.close();
});

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

  it('exposes outbox, consumer and HTTP metrics', async () => {
    const { url } = service();
    await request(url).get('/healthz').expect(200);
    const res = await request(url).get('/metrics').expect(200);
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
