import {
  DeadLetter,
  DeadLetterPage,
  PROBLEM_CONTENT_TYPE,
  Problem,
  newId,
  toWire,
  type Role,
} from '@crm/contracts';
import { eq } from 'drizzle-orm';
import type { Express } from 'express';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, waitFor } from '@crm/testing';
import { authenticate, createVerifier, signDevToken } from '../src/auth.js';
import { DEAD_LETTER_EXCHANGE, type Broker } from '../src/broker.js';
import { declareServiceQueues, queueNames } from '../src/consumer.js';
import { DeadLetterStore, deadLetterRoutes } from '../src/dead-letters.js';
import { createServiceApp } from '../src/http.js';
import { createMetrics } from '../src/metrics.js';
import { mountRoutes } from '../src/routes.js';
import {
  TestAmqp,
  adminClient,
  createTestServiceDb,
  openBroker,
  silentLogger,
  uniqueName,
  type TestServiceDb,
} from './support.js';

const SECRET = 'a-development-secret-of-more-than-32-chars';
// A real service name: the route table only knows those; the queue prefix keeps the test apart.
const SERVICE = 'segments';
const { queue, dlq } = queueNames(SERVICE, `${uniqueName('kit-test')}.`);
const BASE = `/crm/admin/services/${SERVICE}/dead-letters`;

let svc: TestServiceDb;
let broker: Broker;
let amqp: TestAmqp;
let store: DeadLetterStore;
let app: Express;

beforeAll(async () => {
  svc = await createTestServiceDb('deadletters');
  broker = await openBroker('dead-letters');
  amqp = await TestAmqp.open();
  await declareServiceQueues(amqp.channel, queue, dlq, 3);
  store = newStore(broker);
  const made = createServiceApp({
    service: SERVICE,
    logger: silentLogger,
    metrics: createMetrics(SERVICE),
  });
  app = made.app;
  app.use(
    '/crm',
    authenticate(createVerifier({ secret: SECRET, issuer: 'bookingx-crm', audience: 'crm' })),
  );
  app.use(mountRoutes(SERVICE, deadLetterRoutes(store)));
  made.finish();
});

afterAll(async () => {
  await amqp.channel.deleteQueue(queue).catch(() => undefined);
  await amqp.channel.deleteQueue(dlq).catch(() => undefined);
  await amqp.close();
  await broker.close();
  await svc.close();
});

function newStore(b: Broker): DeadLetterStore {
  return new DeadLetterStore({
    broker: b,
    db: svc.database.db,
    tables: svc.tables,
    outbox: svc.outbox,
    queue,
    dlq,
    logger: silentLogger,
  });
}

function tokenFor(tenant: string, role: Role = 'admin'): Promise<string> {
  // A customer's subject is its customer id.
  return signDevToken({
    secret: SECRET,
    tenant,
    role,
    ...(role === 'customer' ? { sub: newId() } : {}),
  });
}

/** Dead letters of one tenant, stored in one statement: they share one timestamp. */
async function seedDeadLetters(tenantId: string, count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, () => {
    const event = buildEvent('bookingx.customer.created.v1', { tenantId });
    return {
      id: newId(),
      queue,
      eventId: event.id,
      eventType: event.type,
      tenantId,
      reason: 'the handler is broken (attempt 3)',
      deliveryCount: 3,
      payload: event,
    };
  });
  await svc.database.db.insert(svc.tables.deadLetters).values(rows);
  return rows.map((r) => r.id);
}

async function listAll(token: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const res = await request(app)
      .get(BASE)
      .query(cursor ? { limit, cursor } : { limit })
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    const body = DeadLetterPage.parse(res.body);
    expect(body.data.length).toBeLessThanOrEqual(limit);
    ids.push(...body.data.map((d) => d.id));
    cursor = body.next_cursor;
    if (!cursor) return ids;
  }
  throw new Error('pagination did not end');
}

describe('dead-letter admin routes', () => {
  it('refuses callers without a token (401) and staff (403)', async () => {
    const res = await request(app).get(BASE).expect(401);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.headers['www-authenticate']).toContain('Bearer');
    expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated' });

    const forged = await signDevToken({
      secret: 'another-secret-that-is-also-32-chars-long',
      tenant: newId(),
      role: 'admin',
    });
    await request(app).get(BASE).set('authorization', `Bearer ${forged}`).expect(401);

    for (const role of ['staff', 'manager', 'sales_rep', 'customer'] as const) {
      const res403 = await request(app)
        .get(BASE)
        .set('authorization', `Bearer ${await tokenFor(newId(), role)}`)
        .expect(403);
      expect(res403.body).toMatchObject({ status: 403, code: 'forbidden' });
    }
  });

  it('pages through every dead letter of the caller’s tenant, and only those', async () => {
    const tenantA = newId();
    const tenantB = newId();
    const seededA = [
      ...(await seedDeadLetters(tenantA, 3)),
      ...(await seedDeadLetters(tenantA, 4)),
    ];
    const seededB = await seedDeadLetters(tenantB, 2);

    const listedA = await listAll(await tokenFor(tenantA), 2);
    expect(new Set(listedA).size).toBe(listedA.length);
    expect([...listedA].sort()).toEqual([...seededA].sort());

    const listedB = await listAll(await tokenFor(tenantB), 50);
    expect([...listedB].sort()).toEqual([...seededB].sort());

    const first = await request(app)
      .get(BASE)
      .query({ limit: 3 })
      .set('authorization', `Bearer ${await tokenFor(tenantA)}`)
      .expect(200);
    const page = DeadLetterPage.parse(first.body);
    expect(page.data).toHaveLength(3);
    expect(page.next_cursor).not.toBeNull();
    expect(page.data[0]).toMatchObject({
      queue,
      tenant_id: tenantA,
      delivery_count: 3,
      reason: 'the handler is broken (attempt 3)',
      replayed_at: null,
    });
  });

  it('rejects a bad or forged cursor with 400 invalid_cursor', async () => {
    const token = await tokenFor(newId());
    for (const cursor of [
      'not a cursor!',
      Buffer.from(JSON.stringify(['yesterday', newId()])).toString('base64url'),
      Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'not-a-uuid'])).toString('base64url'),
    ]) {
      const res = await request(app)
        .get(BASE)
        .query({ cursor })
        .set('authorization', `Bearer ${token}`)
        .expect(400);
      expect(Problem.parse(res.body).code).toBe('invalid_cursor');
    }
  });

  it('rejects a bad limit or unknown query parameter with 422', async () => {
    const token = await tokenFor(newId());
    for (const query of [{ limit: '0' }, { limit: '201' }, { sort: 'id' }]) {
      const res = await request(app)
        .get(BASE)
        .query(query)
        .set('authorization', `Bearer ${token}`)
        .expect(422);
      const problem = Problem.parse(res.body);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors?.some((e) => e.field.startsWith('query.'))).toBe(true);
    }
  });

  it('replays a dead letter once (202), then answers 409; unknown ids are 404', async () => {
    const tenant = newId();
    const [id] = await seedDeadLetters(tenant, 1);
    const token = await tokenFor(tenant);

    const replayed = await request(app)
      .post(`${BASE}/${id}/replay`)
      .set('authorization', `Bearer ${token}`)
      .expect(202);
    const replayedLetter = DeadLetter.parse(replayed.body);
    expect(replayedLetter).toMatchObject({ id, tenant_id: tenant });
    expect(replayedLetter.replayed_at).not.toBeNull();

    const [dead] = await svc.database.db
      .select()
      .from(svc.tables.deadLetters)
      .where(eq(svc.tables.deadLetters.id, id ?? ''));
    const outbox = svc.tables.outbox;
    const pending = await svc.database.db.select().from(outbox).where(eq(outbox.routingKey, queue));
    expect(pending.filter((r) => r.tenantId === tenant)).toEqual([
      expect.objectContaining({ exchange: '', routingKey: queue, envelope: dead?.payload }),
    ]);

    const again = await request(app)
      .post(`${BASE}/${id}/replay`)
      .set('authorization', `Bearer ${token}`)
      .expect(409);
    expect(again.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(again.body).toMatchObject({ status: 409, code: 'conflict' });

    await request(app)
      .post(`${BASE}/${newId()}/replay`)
      .set('authorization', `Bearer ${token}`)
      .expect(404);
    // Another tenant's dead letter does not exist for this caller.
    await request(app)
      .post(`${BASE}/${id}/replay`)
      .set('authorization', `Bearer ${await tokenFor(newId())}`)
      .expect(404);
    await request(app)
      .post(`${BASE}/not-a-uuid/replay`)
      .set('authorization', `Bearer ${token}`)
      .expect(422);
    await request(app)
      .post(`${BASE}/${id}/replay`)
      .set('authorization', `Bearer ${await tokenFor(tenant, 'staff')}`)
      .expect(403);
  });
});

describe('dead-letter store', () => {
  it('keeps an event holding U+0000, which Postgres text cannot, as its bytes', async () => {
    const ownBroker = await openBroker('dead-letters-nul');
    const storing = newStore(ownBroker);
    try {
      await storing.start();
      const tenantId = newId();
      const event = buildEvent('bookingx.customer.created.v1', { tenantId });
      const poisoned = { ...event, data: { ...event.data, first_name: 'Nul\u0000Byte' } };
      const wire = toWire(poisoned);
      amqp.channel.publish(DEAD_LETTER_EXCHANGE, dlq, wire.content, {
        ...wire.properties,
        headers: { ...wire.properties.headers, 'x-crm-dead-letter-reason': 'bad\u0000reason' },
      });
      const stored = await waitFor(
        async () => {
          const [row] = await svc.database.db
            .select()
            .from(svc.tables.deadLetters)
            .where(eq(svc.tables.deadLetters.eventId, event.id));
          return row;
        },
        { what: 'the dead letter holding U+0000 stored' },
      );
      expect(stored.reason).toBe('badreason');
      expect(stored.tenantId).toBe(tenantId);
      const raw = (stored.payload as { raw_base64: string }).raw_base64;
      expect(Buffer.from(raw, 'base64').equals(wire.content)).toBe(true);
    } finally {
      await storing.stop();
      await ownBroker.close();
    }
  });

  it('sets itself up again when its queue is deleted under it', async () => {
    const ownBroker = await openBroker('dead-letters-recover');
    const recovering = newStore(ownBroker);
    try {
      await recovering.start();
      await amqp.channel.deleteQueue(dlq);
      // The store declares and binds the queue again on a new channel, then consumes from it:
      // a consumer on the queue means the binding is back too, so a publish cannot be lost.
      await waitFor(
        async () => {
          const probe = await amqp.model.createChannel();
          probe.on('error', () => undefined);
          try {
            return (await probe.checkQueue(dlq)).consumerCount > 0;
          } catch {
            return false;
          } finally {
            await probe.close().catch(() => undefined);
          }
        },
        { what: 'dead-letter queue declared, bound and consumed again' },
      );
      const event = buildEvent('bookingx.customer.created.v1');
      const wire = toWire(event);
      amqp.channel.publish(DEAD_LETTER_EXCHANGE, dlq, wire.content, {
        ...wire.properties,
        headers: { ...wire.properties.headers, 'x-crm-dead-letter-reason': 'after recovery' },
      });
      await waitFor(
        async () => {
          const rows = await svc.database.db
            .select()
            .from(svc.tables.deadLetters)
            .where(eq(svc.tables.deadLetters.eventId, event.id));
          return rows.length === 1;
        },
        { what: 'dead letter stored after the queue came back' },
      );
    } finally {
      await recovering.stop();
      await ownBroker.close();
    }
  });

  it('keeps a dead letter whose connection dropped while it was being stored', async () => {
    // Two connections: pg_stat_activity is a snapshot fixed for the rest of a transaction.
    const admin = await adminClient();
    const locker = await adminClient();
    const ownBroker = await openBroker('dead-letters-drop');
    const dropping = newStore(ownBroker);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    let recovered: DeadLetterStore | null = null;
    try {
      await dropping.start();
      const table = `${pg.escapeIdentifier(svc.schemaName)}.dead_letters`;
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);

      const event = buildEvent('bookingx.customer.created.v1');
      const deadLetterId = newId();
      const wire = toWire(event);
      amqp.channel.publish(DEAD_LETTER_EXCHANGE, dlq, wire.content, {
        ...wire.properties,
        headers: {
          ...wire.properties.headers,
          'x-crm-dead-letter-reason': 'the handler is broken (attempt 3)',
          'x-crm-delivery-count': 3,
          'x-crm-queue': queue,
          'x-crm-dead-letter-id': deadLetterId,
        },
      });
      await waitFor(
        async () => {
          const { rows } = await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query ILIKE '%dead_letters%'`,
          );
          return (rows[0]?.n ?? 0) > 0;
        },
        { what: 'store blocked on the table lock' },
      );

      await ownBroker.close();
      await locker.query('COMMIT');
      const stored = svc.tables.deadLetters;
      await waitFor(async () => {
        const rows = await svc.database.db.select().from(stored).where(eq(stored.id, deadLetterId));
        return rows.length === 1;
      });

      // The unacked message comes back; storing it again keeps one row.
      recovered = newStore(broker);
      await recovered.start();
      await waitFor(async () => (await amqp.messageCount(dlq)) === 0);
      const rows = await svc.database.db.select().from(stored).where(eq(stored.id, deadLetterId));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        eventId: event.id,
        deliveryCount: 3,
        tenantId: event.tenantid,
      });
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
      await admin.end();
      await dropping.stop();
      await recovered?.stop();
      await ownBroker.close();
    }
  });
});
