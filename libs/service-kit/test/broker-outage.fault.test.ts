import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { newId } from '@crm/contracts';
import { and, count, countDistinct, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, sleep, waitFor } from '@crm/testing';
import type { Broker } from '../src/broker.js';
import { Consumer } from '../src/consumer.js';
import { OutboxRelay } from '../src/relay.js';
import {
  createTestServiceDb,
  openBroker,
  recordingLogger,
  testEnv,
  uniqueName,
  type TestServiceDb,
} from './support.js';

const run = promisify(execFile);

/** Stops or starts the RabbitMQ application on this machine (the node stays up). */
async function rabbit(command: 'stop_app' | 'start_app'): Promise<void> {
  await run('rabbitmqctl', [command], { timeout: 60_000 });
}

const tenantId = newId();
const log = recordingLogger();
let svc: TestServiceDb;
let broker: Broker;
let relay: OutboxRelay;
let consumer: Consumer;

beforeAll(async () => {
  svc = await createTestServiceDb('outage');
  broker = await openBroker('outage', log.logger);
  const effects = svc.tables.effects;
  consumer = new Consumer({
    service: 'kit-outage',
    queuePrefix: `${uniqueName('kit-test')}.`,
    broker,
    db: svc.database.db,
    tables: svc.tables,
    outbox: svc.outbox,
    handlers: {
      'bookingx.customer.created.v1': async ({ tx }, event) => {
        if (event.tenantid !== tenantId) return;
        await tx.insert(effects).values({ id: newId(), tenantId, eventId: event.id });
      },
    },
    logger: log.logger,
    // Every reconnect returns the messages in hand to the queue and counts a delivery.
    deliveryLimit: 50,
    retryBaseMs: 20,
  });
  await consumer.start();
  relay = new OutboxRelay({
    pool: svc.database.pool,
    databaseUrl: testEnv().databaseUrl,
    schema: svc.schemaName,
    broker,
    logger: log.logger,
    pollMs: 200,
  });
  await relay.start();
});

afterAll(async () => {
  // Whatever happened above, the shared broker must be running again for whoever is next.
  await rabbit('start_app').catch(() => undefined);
  await consumer.stop();
  await relay.stop();
  await broker.close();
  await svc.close();
});

const written: string[] = [];

/** One domain write with its event, as a service's use case does it. */
async function write(): Promise<void> {
  const event = buildEvent('bookingx.customer.created.v1', { tenantId });
  await svc.database.db.transaction(async (tx) => {
    await tx
      .insert(svc.tables.records)
      .values({ id: newId(), tenantId, name: event.data.customer.last_name });
    await svc.outbox.append(tx, { event });
  });
  written.push(event.id);
}

/** Writes `n` events at a steady pace, so some fall inside whatever happens meanwhile. */
async function writeMany(n: number, paceMs: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await write();
    if (paceMs > 0) await sleep(paceMs);
  }
}

async function effectStats() {
  const effects = svc.tables.effects;
  const [row] = await svc.database.db
    .select({ total: count(), distinct: countDistinct(effects.eventId) })
    .from(effects)
    .where(eq(effects.tenantId, tenantId));
  return { total: row?.total ?? 0, distinct: row?.distinct ?? 0 };
}

describe('a broker outage while the service keeps writing', () => {
  it('loses no event and applies none twice', async () => {
    await writeMany(100, 0);
    await waitFor(async () => (await effectStats()).distinct > 0, {
      what: 'events flowing before the outage',
    });

    // Stop the broker while writes and deliveries are in flight, and keep writing while it is down.
    await Promise.all([rabbit('stop_app'), writeMany(50, 10)]);
    await waitFor(() => !broker.connected, { what: 'outage noticed' });
    await writeMany(50, 5);
    await Promise.all([rabbit('start_app'), writeMany(100, 10)]);

    expect(written).toHaveLength(300);
    const stats = await waitFor(
      async () => {
        const s = await effectStats();
        return s.distinct === written.length ? s : null;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: 'every event handled after the outage' },
    );
    expect(stats).toEqual({ total: written.length, distinct: written.length });

    const outbox = svc.tables.outbox;
    const unsent = await svc.database.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(inArray(outbox.id, written), isNull(outbox.sentAt)));
    expect(unsent).toEqual([]);
    const messages = log.messages();
    const lost = messages.indexOf('broker connection lost; reconnecting');
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(messages.slice(lost)).toContain('broker connected');
  }, 180_000);
});
