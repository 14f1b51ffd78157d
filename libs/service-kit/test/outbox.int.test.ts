import {
  CLOUDEVENTS_CONTENT_TYPE,
  CRM_EXCHANGE,
  newId,
  toWire,
  type CloudEvent,
} from '@crm/contracts';
import { eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, waitFor } from '@crm/testing';
import type { Broker } from '../src/broker.js';
import { createMetrics } from '../src/metrics.js';
import { outboxChannel, type OutboxMessage } from '../src/outbox.js';
import { OutboxRelay, type RelayOptions } from '../src/relay.js';
import {
  QueueProbe,
  TestAmqp,
  adminClient,
  createTestServiceDb,
  openBroker,
  silentLogger,
  testEnv,
  uniqueName,
  type TestServiceDb,
} from './support.js';

let svc: TestServiceDb;
let broker: Broker;
let probe: QueueProbe;
let amqp: TestAmqp;
let admin: pg.Client;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  svc = await createTestServiceDb('outbox');
  broker = await openBroker('outbox');
  probe = await QueueProbe.bind(CRM_EXCHANGE, '#');
  amqp = await TestAmqp.open();
  admin = await adminClient();
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await probe.close();
  await amqp.close();
  await broker.close();
  await admin.end();
  await svc.close();
});

async function startRelay(options: Partial<RelayOptions> = {}): Promise<OutboxRelay> {
  const relay = new OutboxRelay({
    pool: svc.database.pool,
    databaseUrl: testEnv().databaseUrl,
    schema: svc.schemaName,
    broker,
    logger: silentLogger,
    pollMs: 100,
    ...options,
  });
  relays.push(relay);
  await relay.start();
  return relay;
}

/** The domain write of the tiny service: a record and the event that announces it. */
async function createRecord(event: CloudEvent, message: Partial<OutboxMessage> = {}) {
  await svc.database.db.transaction(async (tx) => {
    await tx
      .insert(svc.tables.records)
      .values({ id: newId(), tenantId: event.tenantid, name: `record ${event.id}` });
    await svc.outbox.append(tx, { event, ...message });
  });
}

async function outboxRow(id: string) {
  const [row] = await svc.database.db
    .select()
    .from(svc.tables.outbox)
    .where(eq(svc.tables.outbox.id, id));
  return row;
}

/** Inserts a committed outbox row without NOTIFY, as if the notification had been lost. */
async function insertSilently(event: CloudEvent, exchange = CRM_EXCHANGE): Promise<void> {
  await admin.query(
    `INSERT INTO ${pg.escapeIdentifier(svc.schemaName)}.outbox
       (id, exchange, routing_key, tenant_id, envelope) VALUES ($1, $2, $3, $4, $5)`,
    [event.id, exchange, event.type, event.tenantid, JSON.stringify(event)],
  );
}

async function listenerPids(): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND query LIKE $1`,
    [`%${outboxChannel(svc.schemaName)}%`],
  );
  return rows.map((r) => r.pid);
}

describe('outbox', () => {
  it('commits the domain write and its event together, and nothing of a rolled-back one', async () => {
    await startRelay();
    const kept = buildEvent('crm.customer.created.v1');
    const rolledBack = buildEvent('crm.customer.created.v1');

    await createRecord(kept);
    await expect(
      svc.database.db.transaction(async (tx) => {
        await tx
          .insert(svc.tables.records)
          .values({ id: newId(), tenantId: rolledBack.tenantid, name: 'never' });
        await svc.outbox.append(tx, { event: rolledBack });
        throw new Error('the use case failed after writing');
      }),
    ).rejects.toThrow('the use case failed');

    const records = svc.tables.records;
    expect(
      await svc.database.db
        .select()
        .from(records)
        .where(inArray(records.tenantId, [kept.tenantid, rolledBack.tenantid])),
    ).toHaveLength(1);
    expect(await outboxRow(rolledBack.id)).toBeUndefined();

    await waitFor(() => probe.count(kept.id) === 1, { what: 'committed event published' });
    // Rows go out in commit order, so once a later event has arrived the rolled-back one never will.
    const later = buildEvent('crm.customer.created.v1');
    await createRecord(later);
    await waitFor(() => probe.count(later.id) === 1);
    expect(probe.count(rolledBack.id)).toBe(0);
  });

  it('publishes committed rows as persistent CloudEvents and marks them sent', async () => {
    await startRelay();
    const event = buildEvent('crm.customer.created.v1');
    await createRecord(event);

    await waitFor(() => probe.count(event.id) === 1);
    const row = await waitFor(async () => {
      const r = await outboxRow(event.id);
      return r?.sentAt ? r : null;
    });
    expect(row.attempts).toBe(0);
    expect(row.lastError).toBeNull();

    const msg = probe.raw.find((m) => m.properties.messageId === event.id);
    expect(msg?.fields.routingKey).toBe('crm.customer.created.v1');
    expect(msg?.properties).toMatchObject({
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      deliveryMode: 2,
      type: event.type,
      headers: { 'x-tenant-id': event.tenantid },
    });
    expect(probe.received.find((e) => e.id === event.id)).toEqual(event);
  });

  it('is woken by NOTIFY on commit, without waiting for a poll', async () => {
    // A poll this slow never fires during the test: only the notification can wake the relay.
    await startRelay({ pollMs: 600_000 });
    const event = buildEvent('crm.customer.created.v1');
    await createRecord(event);
    await waitFor(() => probe.count(event.id) === 1, { what: 'event published after NOTIFY' });
  });

  it('keeps delivering by polling while LISTEN is broken, and listens again', async () => {
    await startRelay({ pollMs: 100 });
    const [pid] = await waitFor(async () => {
      const pids = await listenerPids();
      return pids.length === 1 ? pids : null;
    });
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);

    const event = buildEvent('crm.customer.created.v1');
    await insertSilently(event);
    await waitFor(() => probe.count(event.id) === 1, { what: 'event published by polling' });

    const again = await waitFor(async () => {
      const pids = await listenerPids();
      return pids.length > 0 && !pids.includes(pid ?? -1) ? pids : null;
    });
    expect(again).toHaveLength(1);
  });

  it('publishes each row exactly once with two relays side by side', async () => {
    const events = Array.from({ length: 300 }, () => buildEvent('crm.customer.created.v1'));
    for (let i = 0; i < events.length; i += 50) {
      await svc.database.db.transaction(async (tx) => {
        await svc.outbox.append(
          tx,
          events.slice(i, i + 50).map((event) => ({ event })),
        );
      });
    }
    const metricsA = createMetrics('relay-a');
    const metricsB = createMetrics('relay-b');
    await Promise.all([
      startRelay({ batchSize: 7, metrics: metricsA }),
      startRelay({ batchSize: 7, metrics: metricsB }),
    ]);

    const ids = events.map((e) => e.id);
    const outbox = svc.tables.outbox;
    await waitFor(
      async () => {
        const rows = await svc.database.db
          .select({ sentAt: outbox.sentAt })
          .from(outbox)
          .where(inArray(outbox.id, ids));
        return rows.every((r) => r.sentAt !== null);
      },
      { timeoutMs: 30_000, what: 'all rows marked sent' },
    );
    // Every confirmed publish is in the probe's queue ahead of this marker.
    const marker = buildEvent('crm.customer.created.v1');
    const wire = toWire(marker);
    amqp.channel.sendToQueue(probe.queue, wire.content, wire.properties);
    await waitFor(() => probe.count(marker.id) === 1);

    for (const id of ids) expect(probe.count(id), id).toBe(1);
    const publishedBy = async (m: ReturnType<typeof createMetrics>) =>
      (await m.outboxPublished.get()).values[0]?.value ?? 0;
    expect((await publishedBy(metricsA)) + (await publishedBy(metricsB))).toBe(events.length);
  });

  it('does not mark an unroutable event sent, and delivers it once a queue is bound', async () => {
    const exchange = uniqueName('kit.test.unbound');
    await amqp.channel.assertExchange(exchange, 'topic', { durable: false });
    let bound: QueueProbe | null = null;
    try {
      await startRelay({ pollMs: 100 });
      const event = buildEvent('crm.customer.created.v1');
      // A row id of its own, as a replay has: returns must still be matched to the row.
      const rowId = newId();
      await createRecord(event, { exchange, id: rowId });

      const failed = await waitFor(async () => {
        const row = await outboxRow(rowId);
        return row && row.attempts >= 1 ? row : null;
      });
      expect(failed.sentAt).toBeNull();
      expect(failed.lastError).toMatch(/returned|unroutable/);

      bound = await QueueProbe.bind(exchange, '#');
      await waitFor(() => bound?.count(event.id) === 1, {
        timeoutMs: 20_000,
        what: 'returned event delivered after binding',
      });
      await waitFor(async () => (await outboxRow(rowId))?.sentAt);
    } finally {
      await bound?.close();
      await amqp.channel.deleteExchange(exchange).catch(() => undefined);
    }
  });

  it('does not mark a nacked event sent, and publishes it once the broker takes it', async () => {
    const exchange = uniqueName('kit.test.full');
    const queue = uniqueName('kit.test.full');
    await amqp.channel.assertExchange(exchange, 'topic', { durable: false });
    // A full queue that refuses rather than drops: the broker nacks what it cannot take.
    await amqp.channel.assertQueue(queue, {
      durable: false,
      arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' },
    });
    await amqp.channel.bindQueue(queue, exchange, '#');
    try {
      await startRelay({ pollMs: 100 });
      const first = buildEvent('crm.customer.created.v1');
      await createRecord(first, { exchange });
      await waitFor(async () => (await outboxRow(first.id))?.sentAt);

      const second = buildEvent('crm.customer.created.v1');
      await createRecord(second, { exchange });
      const nacked = await waitFor(async () => {
        const row = await outboxRow(second.id);
        return row && row.attempts >= 1 ? row : null;
      });
      expect(nacked.sentAt).toBeNull();
      expect(nacked.lastError).toMatch(/nack/);

      await amqp.channel.purgeQueue(queue);
      await waitFor(async () => (await outboxRow(second.id))?.sentAt, {
        timeoutMs: 20_000,
        what: 'nacked event published once there is room',
      });
    } finally {
      await amqp.channel.deleteQueue(queue).catch(() => undefined);
      await amqp.channel.deleteExchange(exchange).catch(() => undefined);
    }
  });

  it('keeps relaying after its database connections are killed', async () => {
    await startRelay({ pollMs: 100 });
    const before = buildEvent('crm.customer.created.v1');
    await createRecord(before);
    await waitFor(() => probe.count(before.id) === 1);

    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [svc.schemaName],
    );
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1`,
      [`LISTEN%${outboxChannel(svc.schemaName)}%`],
    );
    const after = buildEvent('crm.customer.created.v1');
    await waitFor(async () => {
      await createRecord(after);
      return true;
    });
    await waitFor(() => probe.count(after.id) === 1, { what: 'published after the kill' });
  });

  it('keeps publishing other events after one names an exchange that does not exist', async () => {
    await startRelay({ pollMs: 100 });
    const lost = buildEvent('crm.customer.created.v1');
    await createRecord(lost, { exchange: uniqueName('kit.test.missing') });
    const failed = await waitFor(async () => {
      const row = await outboxRow(lost.id);
      return row && row.attempts >= 1 ? row : null;
    });
    expect(failed.sentAt).toBeNull();
    expect(failed.lastError).not.toBeNull();

    const next = buildEvent('crm.customer.created.v1');
    await createRecord(next);
    await waitFor(() => probe.count(next.id) === 1, {
      timeoutMs: 20_000,
      what: 'relay still publishes after a channel error',
    });
    await svc.database.db.delete(svc.tables.outbox).where(eq(svc.tables.outbox.id, lost.id));
  });
});
