import { join } from 'node:path';
import { CRM_EXCHANGE, makeEvent, newId, toWire, type TypedEvent } from '@crm/contracts';
import {
  Broker,
  Consumer,
  Outbox,
  OutboxRelay,
  createDatabase,
  createLogger,
  declareCoreTopology,
  declareServiceQueues,
  kitTables,
  runMigrations,
} from '@crm/service-kit';
import { connect } from 'amqplib';
import { integer, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { sleep, waitUntil, type BenchContext, type Benchmark } from '../lib/context.js';
import { ownCpuMeter } from '../lib/processes.js';
import { attachCpu, type Row } from '../lib/report.js';
import { createScratch, withAdmin, type Scratch } from '../lib/scratch.js';
import { Samples, wallNow } from '../lib/stats.js';

/** The kit's own test service (its fixture migrations): kit tables, records, effects. */
const SCHEMA = 'kit_test';
const schema = pgSchema(SCHEMA);
const tables = kitTables(schema);
const records = schema.table('records', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
});
const effects = schema.table('effects', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  eventId: text('event_id').notNull(),
  n: integer('n').notNull().default(1),
});

const TENANT = '7d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a';
const EVENT_TYPE = 'crm.interaction.recorded.v1';
const PREFETCH = 50;
const RELAY_BATCH = 200;
const DELIVERY_LIMIT = 8;

type Recorded = TypedEvent<typeof EVENT_TYPE>;

function buildEvents(count: number): Recorded[] {
  return Array.from({ length: count }, (_, i) => {
    const customerId = newId();
    return makeEvent({
      type: EVENT_TYPE,
      source: 'crm/bench',
      tenantId: TENANT,
      subject: customerId,
      sequence: 1,
      data: {
        interaction: {
          id: newId(),
          customer_id: customerId,
          interaction_type: 'booking',
          interaction_source: 'bookingx',
          subject: 'Haircut and blow-dry',
          booking_id: String(100_000 + i),
          staff_id: '4711',
          direction: 'inbound',
          amount: { amount_minor: 4500, currency: 'EUR' },
          interaction_date: new Date().toISOString(),
        },
      },
    });
  });
}

interface KitRuns {
  live: Row;
  backlog: Row;
}

/** Effects written since `since` (ids not in `skip`): count, duplicates and latencies. */
interface EffectStats {
  count: number;
  duplicates: number;
  last: number;
  samples: Samples;
}

/**
 * The kit end to end: writers commit a record and its event together, the relay publishes
 * with confirms, the consumer records the effect with its inbox row in one transaction.
 * Live: writers and pipeline run together; latency runs from the writer's commit returning
 * to the effect row's clock_timestamp(). Backlog: the events are committed first and the
 * relay starts afterwards, so throughput is the relay and consumer's alone.
 */
async function runKit(
  ctx: BenchContext,
  scratch: Scratch,
  batches: { warmUp: Recorded[]; live: Recorded[]; backlog: Recorded[] },
  writers: number,
): Promise<KitRuns> {
  const logger = createLogger('bench-outbox', 'warn');
  const producerDb = createDatabase({ url: scratch.databaseUrl, max: 10, applicationName: 'w' });
  ctx.cleanup.defer('producer pool', () => producerDb.close());
  const consumerDb = createDatabase({ url: scratch.databaseUrl, max: 10, applicationName: 'c' });
  ctx.cleanup.defer('consumer pool', () => consumerDb.close());
  // Producer and consumer are two services: two connections, as two processes would have.
  const producerBroker = await Broker.connect(scratch.amqpUrl, 'bench-producer', logger);
  ctx.cleanup.defer('producer broker', () => producerBroker.close());
  const consumerBroker = await Broker.connect(scratch.amqpUrl, 'bench-consumer', logger);
  ctx.cleanup.defer('consumer broker', () => consumerBroker.close());
  await producerBroker.ready();
  await consumerBroker.ready();

  const outbox = new Outbox(tables, SCHEMA);
  const consumer = new Consumer({
    service: 'bench-outbox',
    broker: consumerBroker,
    db: consumerDb.db,
    tables,
    outbox,
    handlers: {
      [EVENT_TYPE]: async ({ tx }, event) => {
        await tx
          .insert(effects)
          .values({ id: newId(), tenantId: event.tenantid, eventId: event.id });
      },
    },
    logger,
    prefetch: PREFETCH,
    deliveryLimit: DELIVERY_LIMIT,
  });
  await consumer.start();
  ctx.cleanup.defer('consumer', () => consumer.stop());
  const startRelay = async () => {
    const relay = new OutboxRelay({
      pool: producerDb.pool,
      databaseUrl: scratch.databaseUrl,
      schema: SCHEMA,
      broker: producerBroker,
      logger,
      batchSize: RELAY_BATCH,
      pollMs: 1000,
    });
    await relay.start();
    ctx.cleanup.defer('relay', () => relay.stop());
    return relay;
  };

  const committedAt = new Map<string, number>();
  const write = async (list: Recorded[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = next++; i < list.length; i = next++) {
          const event = list[i];
          if (!event) continue;
          await producerDb.db.transaction(async (tx) => {
            await tx
              .insert(records)
              .values({ id: newId(), tenantId: TENANT, name: `record ${event.id}` });
            await outbox.append(tx, { event });
          });
          committedAt.set(event.id, wallNow());
        }
      }),
    );
  };
  let expected = 0;
  const waitForEffects = async (list: Recorded[]) => {
    expected += list.length;
    await waitUntil(
      'effects',
      async () => {
        const { rows } = await consumerDb.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${SCHEMA}.effects`,
        );
        const n = rows[0]?.n ?? 0;
        return { done: n >= expected, status: `${n}/${expected} effects` };
      },
      { timeoutMs: 10 * 60_000, intervalMs: 50, onStatus: ctx.log },
    );
  };
  const statsOf = async (list: Recorded[], from: number): Promise<EffectStats> => {
    const wanted = new Set(list.map((e) => e.id));
    const { rows } = await consumerDb.pool.query<{ event_id: string; at: string }>(
      `SELECT event_id, (extract(epoch FROM committed_at) * 1000)::text AS at FROM ${SCHEMA}.effects`,
    );
    const stats: EffectStats = { count: 0, duplicates: 0, last: from, samples: new Samples() };
    const seen = new Set<string>();
    for (const r of rows) {
      if (!wanted.has(r.event_id)) continue;
      if (seen.has(r.event_id)) stats.duplicates += 1;
      seen.add(r.event_id);
      const at = Number(r.at);
      const commit = committedAt.get(r.event_id);
      if (commit !== undefined) stats.samples.add(at - commit);
      stats.last = Math.max(stats.last, at);
    }
    stats.count = seen.size;
    return stats;
  };

  let relay = await startRelay();
  await write(batches.warmUp);
  await waitForEffects(batches.warmUp);

  const liveStarted = wallNow();
  const liveCpu = ownCpuMeter('bench');
  await write(batches.live);
  const writeSeconds = (wallNow() - liveStarted) / 1000;
  await waitForEffects(batches.live);
  const liveSpent = liveCpu();
  const live = await statsOf(batches.live, liveStarted);
  const liveSeconds = (live.last - liveStarted) / 1000;

  await relay.stop();
  await write(batches.backlog);
  const drainStarted = wallNow();
  const drainCpu = ownCpuMeter('bench');
  relay = await startRelay();
  await waitForEffects(batches.backlog);
  const drainSpent = drainCpu();
  const backlog = await statsOf(batches.backlog, drainStarted);
  await relay.stop();
  const drainSeconds = (backlog.last - drainStarted) / 1000;

  return {
    live: attachCpu(
      {
        label: 'kit outbox → relay → consumer',
        group: 'live',
        count: live.count,
        seconds: liveSeconds,
        throughput: live.count / liveSeconds,
        unit: 'events/s',
        latency: live.samples.summary(),
        errors: batches.live.length - live.count + live.duplicates,
        detail: {
          writers,
          write_commits_per_s: Math.round(batches.live.length / writeSeconds),
          duplicates: live.duplicates,
        },
      },
      liveSpent,
    ),
    backlog: attachCpu(
      {
        label: 'kit outbox → relay → consumer',
        group: 'backlog',
        count: backlog.count,
        seconds: drainSeconds,
        throughput: backlog.count / drainSeconds,
        unit: 'events/s',
        latency: null,
        errors: batches.backlog.length - backlog.count + backlog.duplicates,
        detail: { duplicates: backlog.duplicates },
      },
      drainSpent,
    ),
  };
}

/**
 * Bare amqplib on the same queue type: confirm-channel publishes, a consumer that acks.
 * Without a rate it publishes as fast as confirms allow, in windows of the relay's batch
 * size; with one it publishes what is due every millisecond and waits for those confirms,
 * as the relay does when it is woken by each commit.
 */
async function runBaseline(
  scratch: Scratch,
  events: Recorded[],
  group: string,
  rate: number | null,
): Promise<Row> {
  const queue = `bench.baseline.${group}`;
  const routingKey = `bench.baseline.${group}.v1`;
  const consumerConn = await connect(scratch.amqpUrl);
  const publisherConn = await connect(scratch.amqpUrl);
  try {
    await declareCoreTopology(consumerConn);
    const ch = await consumerConn.createChannel();
    await declareServiceQueues(ch, queue, `${queue}.dlq`, DELIVERY_LIMIT);
    await ch.bindQueue(queue, CRM_EXCHANGE, routingKey);
    await ch.prefetch(PREFETCH);

    const wires = events.map((e) => toWire(e));
    const index = new Map(events.map((e, i) => [e.id, i]));
    const publishedAt = new Float64Array(events.length);
    const ackedAt = new Float64Array(events.length);
    let acked = 0;
    const allAcked = new Promise<void>((resolve) => {
      void ch.consume(queue, (msg) => {
        if (!msg) return;
        const i = index.get(String(msg.properties.messageId));
        ch.ack(msg);
        if (i !== undefined && ackedAt[i] === 0) {
          ackedAt[i] = wallNow();
          acked += 1;
          if (acked === events.length) resolve();
        }
      });
    });

    const pub = await publisherConn.createConfirmChannel();
    const publish = (i: number) => {
      const wire = wires[i];
      if (!wire) return;
      publishedAt[i] = wallNow();
      pub.publish(CRM_EXCHANGE, routingKey, wire.content, { ...wire.properties, mandatory: true });
    };
    const started = wallNow();
    const cpu = ownCpuMeter('bench');
    let sent = 0;
    while (sent < wires.length) {
      const due =
        rate === null
          ? Math.min(wires.length, sent + RELAY_BATCH)
          : Math.min(
              wires.length,
              sent + RELAY_BATCH,
              Math.floor(((wallNow() - started) / 1000) * rate) + 1,
            );
      if (due === sent) {
        await sleep(1);
        continue;
      }
      for (; sent < due; sent += 1) publish(sent);
      await pub.waitForConfirms();
    }
    await allAcked;
    const spent = cpu();
    const samples = new Samples();
    let last = started;
    for (let i = 0; i < events.length; i += 1) {
      const a = ackedAt[i] ?? 0;
      samples.add(a - (publishedAt[i] ?? 0));
      last = Math.max(last, a);
    }
    const seconds = (last - started) / 1000;
    const latency = samples.summary();
    return attachCpu(
      {
        label: 'amqplib confirm + ack',
        group,
        count: acked,
        seconds,
        throughput: acked / seconds,
        unit: 'events/s',
        // Publishing flat out measures how fast the queue fills, not a message's trip.
        latency: rate === null ? null : latency,
        errors: events.length - acked,
        detail: {
          confirm_window: RELAY_BATCH,
          prefetch: PREFETCH,
          ...(rate === null
            ? { queued_p50_ms: latency?.p50 ?? 0, queued_p99_ms: latency?.p99 ?? 0 }
            : { paced_at_per_s: Math.round(rate) }),
        },
      },
      spent,
    );
  } finally {
    await publisherConn.close().catch(() => undefined);
    await consumerConn.close().catch(() => undefined);
  }
}

export const outboxBench: Benchmark = {
  name: 'outbox',
  summary:
    'events/s and commit-to-effect latency through outbox, relay, RabbitMQ and an idempotent consumer vs bare amqplib',
  async run(ctx) {
    const count = ctx.quick ? 5_000 : 50_000;
    const writers = 8;
    const scratch = await createScratch(ctx, { migrate: false });
    await runMigrations({
      databaseUrl: scratch.databaseUrl,
      schema: SCHEMA,
      migrationsFolder: join(ctx.root, 'libs/service-kit/test/fixtures/migrations'),
    });
    // When the effect became durable, to the microsecond: the last statement before commit.
    await withAdmin(scratch.databaseUrl, (c) =>
      c.query(
        `ALTER TABLE ${SCHEMA}.effects
           ADD COLUMN committed_at timestamptz NOT NULL DEFAULT clock_timestamp()`,
      ),
    );

    const first = buildEvents(1)[0];
    if (!first) throw new Error('no event to measure');
    const bytes = toWire(first).content.length;
    ctx.log(`kit: ${count} events live with ${writers} writers, then ${count} as a backlog`);
    const kit = await runKit(
      ctx,
      scratch,
      { warmUp: buildEvents(500), live: buildEvents(count), backlog: buildEvents(count) },
      writers,
    );
    ctx.log(`baseline: ${count} messages of ${bytes} bytes, flat out`);
    const flatOut = await runBaseline(scratch, buildEvents(count), 'backlog', null);
    ctx.log(`baseline: ${count} messages paced at the kit's live rate`);
    const paced = await runBaseline(scratch, buildEvents(count), 'live', kit.live.throughput);
    return {
      params: {
        events: count,
        writers,
        message_bytes: bytes,
        relay_batch: RELAY_BATCH,
        prefetch: PREFETCH,
        queue_type: 'quorum',
      },
      tables: [
        {
          title: `Outbox to effect, ${count} events of ${bytes} bytes per run, quorum queues`,
          baselines: ['amqplib confirm + ack'],
          rows: [kit.live, paced, kit.backlog, flatOut],
        },
      ],
      notes: [
        `live: ${writers} writers commit one record + one event per transaction (${String(kit.live.detail?.write_commits_per_s ?? '?')} commits/s) while the relay and consumer run; latency is the writer's commit returning → the effect row's clock_timestamp() (its last statement before commit)`,
        "live baseline: amqplib publishes at the kit's live rate, waiting for confirms as the relay does; latency is publish → ack",
        'backlog: every event is committed before the relay starts, so the rate is the relay and consumer alone; the baseline publishes flat out in windows of the relay batch (200) and its queueing latency is in the JSON detail only',
        'writers, relay and consumer share the benchmark process, each side with its own pool of 10 and its own AMQP connection',
        'CPU ms/op: CPU time of the benchmark process (writers, relay and consumer; or the amqplib publisher and consumer) per event; Postgres and RabbitMQ not included',
      ],
    };
  },
};
