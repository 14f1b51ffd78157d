import { BOOKINGX_EXCHANGE, CRM_EXCHANGE, type CloudEvent } from '@crm/contracts';
import { declareCoreTopology, declareServiceQueues } from '@crm/service-kit';
import { publishEvents } from '@crm/simulator';
import { connect } from 'amqplib';
import pg from 'pg';
import { SERVICES } from '../../scripts/services.js';
import { errorMessage, waitUntil, type BenchContext } from './context.js';
import { attachCpu, type Row } from './report.js';
import { bindingsOf, queueDepths } from './scratch.js';
import { Samples, summarise, wallNow, type LatencySummary } from './stats.js';

/** What was published: every event id in order, and when the broker confirmed it. */
export class PublishLog {
  readonly ids: string[] = [];
  readonly byType = new Map<string, number>();
  private readonly windows: { upTo: number; at: number }[] = [];
  startedAt = 0;
  finishedAt = 0;

  /** Passes events through, remembering each; stops after `limit`. */
  *tap<E extends CloudEvent>(events: Iterable<E>, limit = Infinity): Generator<E> {
    for (const event of events) {
      if (this.ids.length >= limit) return;
      this.ids.push(event.id);
      this.byType.set(event.type, (this.byType.get(event.type) ?? 0) + 1);
      yield event;
    }
  }

  confirmed(upTo: number): void {
    this.windows.push({ upTo, at: wallNow() });
  }

  get count(): number {
    return this.ids.length;
  }

  /** When each event was confirmed: the end of the confirm window it was published in. */
  confirmedAt(): Float64Array {
    const at = new Float64Array(this.ids.length);
    let i = 0;
    for (const w of this.windows) for (; i < w.upTo && i < at.length; i += 1) at[i] = w.at;
    return at;
  }
}

/** Publishes with the simulator's own publisher (confirm windows of 500), recording each event. */
export async function publishTracked(
  amqpUrl: string,
  events: Iterable<CloudEvent>,
  limit = Infinity,
): Promise<PublishLog> {
  const log = new PublishLog();
  log.startedAt = wallNow();
  await publishEvents(amqpUrl, log.tap(events, limit), {
    onProgress: (n) => {
      log.confirmed(n);
    },
  });
  log.finishedAt = wallNow();
  return log;
}

/**
 * The baseline consumer: a quorum queue declared like a service's, bound to every BookingX
 * event, with the services' prefetch, that only acks. Returns once `expected` are acked.
 */
export async function ackOnlyConsumer(
  amqpUrl: string,
  queue: string,
  prefetch: number,
): Promise<{
  ackedAt: Map<string, number>;
  done: (expected: number) => Promise<void>;
  close: () => Promise<void>;
}> {
  const conn = await connect(amqpUrl);
  await declareCoreTopology(conn);
  const ch = await conn.createChannel();
  await declareServiceQueues(ch, queue, `${queue}.dlq`, 8);
  await ch.bindQueue(queue, BOOKINGX_EXCHANGE, '#');
  await ch.prefetch(prefetch);
  const ackedAt = new Map<string, number>();
  let closed = false;
  let waiter: { expected: number; resolve: () => void } | null = null;
  await ch.consume(queue, (msg) => {
    if (!msg) return;
    ch.ack(msg);
    ackedAt.set(String(msg.properties.messageId), wallNow());
    if (waiter && ackedAt.size >= waiter.expected) waiter.resolve();
  });
  return {
    ackedAt,
    done: (expected) =>
      new Promise<void>((resolve) => {
        if (ackedAt.size >= expected) resolve();
        else waiter = { expected, resolve };
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await ch.deleteQueue(queue).catch(() => undefined);
      await conn.close().catch(() => undefined);
    },
  };
}

export function baselineRow(
  label: string,
  group: string,
  log: PublishLog,
  ackedAt: Map<string, number>,
): Row {
  const confirmed = log.confirmedAt();
  const samples = new Samples();
  let last = log.startedAt;
  log.ids.forEach((id, i) => {
    const at = ackedAt.get(id);
    if (at === undefined) return;
    samples.add(at - (confirmed[i] ?? 0));
    last = Math.max(last, at);
  });
  const seconds = (last - log.startedAt) / 1000;
  return {
    label,
    group,
    count: samples.count,
    seconds,
    throughput: log.count / seconds,
    unit: 'events/s',
    latency: samples.summary(),
    errors: log.count - samples.count,
    detail: { publish_seconds: (log.finishedAt - log.startedAt) / 1000 },
  };
}

/** A service's consumer as the broker sees it: which event types reach its queue. */
export interface Projection {
  service: string;
  schema: string;
  queue: string;
  bookingx: Set<string>;
  crm: Set<string>;
}

export async function projectionsOf(vhost: string, services: string[]): Promise<Projection[]> {
  const bindings = await bindingsOf(vhost);
  return services.map((service) => {
    const schema = SERVICES.find((s) => s.name === service)?.schema;
    if (!schema) throw new Error(`${service} keeps no schema`);
    const queue = `crm.${service}`;
    const keys = (exchange: string) =>
      new Set(
        bindings.filter((b) => b.destination === queue && b.source === exchange).map((b) => b.key),
      );
    return { service, schema, queue, bookingx: keys(BOOKINGX_EXCHANGE), crm: keys(CRM_EXCHANGE) };
  });
}

interface Progress {
  done: boolean;
  status: string;
  perService: { service: string; have: number; want: number }[];
}

/**
 * Every projection has caught up when each service's inbox holds every event routed to its
 * queue: the BookingX events published, and the CRM events every outbox emitted of the
 * types it is bound to, with no outbox row left unsent. Inboxes are read before outboxes,
 * so an event committed in between can only make the check fail, never pass early.
 */
async function progressOf(
  pool: pg.Pool,
  projections: Projection[],
  published: Map<string, number>,
): Promise<Progress> {
  const inbox = new Map<string, Map<string, number>>();
  for (const p of projections) {
    const { rows } = await pool.query<{ t: string; n: number }>(
      `SELECT event_type AS t, count(*)::int AS n FROM ${pg.escapeIdentifier(p.schema)}.inbox
        WHERE consumer = $1 GROUP BY 1`,
      [p.queue],
    );
    inbox.set(p.service, new Map(rows.map((r) => [r.t, r.n])));
  }
  const emitted = new Map<string, number>();
  let unsent = 0;
  let deadLetters = 0;
  for (const p of projections) {
    const schema = pg.escapeIdentifier(p.schema);
    const { rows } = await pool.query<{ t: string; n: number; unsent: number }>(
      `SELECT routing_key AS t, count(*)::int AS n,
              (count(*) FILTER (WHERE sent_at IS NULL))::int AS unsent
         FROM ${schema}.outbox GROUP BY 1`,
    );
    for (const r of rows) {
      emitted.set(r.t, (emitted.get(r.t) ?? 0) + r.n);
      unsent += r.unsent;
    }
    const dead = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${schema}.dead_letters`,
    );
    deadLetters += dead.rows[0]?.n ?? 0;
  }
  if (deadLetters > 0) throw new Error(`${deadLetters} events were dead-lettered`);
  const perService = projections.map((p) => {
    const seen = inbox.get(p.service) ?? new Map<string, number>();
    let have = 0;
    let want = 0;
    for (const t of p.bookingx) {
      want += published.get(t) ?? 0;
      have += seen.get(t) ?? 0;
    }
    for (const t of p.crm) {
      want += emitted.get(t) ?? 0;
      have += seen.get(t) ?? 0;
    }
    return { service: p.service, have, want };
  });
  const done = unsent === 0 && perService.every((s) => s.have >= s.want);
  const status = [
    ...perService.map((s) => `${s.service} ${s.have}/${s.want}`),
    `outbox unsent ${unsent}`,
  ].join(', ');
  return { done, status, perService };
}

export async function waitCaughtUp(
  ctx: BenchContext,
  pool: pg.Pool,
  projections: Projection[],
  published: Map<string, number>,
  timeoutMs: number,
): Promise<void> {
  await waitUntil(
    'projections',
    async () => {
      try {
        return await progressOf(pool, projections, published);
      } catch (err) {
        throw new Error(`while waiting for the projections: ${errorMessage(err)}`, { cause: err });
      }
    },
    // The counts scan every inbox; at a million rows one probe takes seconds of a CPU.
    { timeoutMs, intervalMs: 500, maxBusyShare: 0.05, onStatus: ctx.log },
  );
}

/**
 * Lag of each inbox row of `queue` whose type matches: when its transaction began in the
 * service (the inbox row's processed_at) minus when the broker confirmed the event to the
 * publisher. Also the last such time, which is when that projection caught up.
 */
export async function inboxLag(
  pool: pg.Pool,
  projection: Projection,
  types: Set<string>,
): Promise<{ lastAt: number; latency: LatencySummary | null; count: number }> {
  const { rows } = await pool.query<{ lag: number; at: number }>(
    `SELECT extract(epoch FROM i.processed_at - p.confirmed_at)::float8 * 1000 AS lag,
            extract(epoch FROM i.processed_at)::float8 * 1000 AS at
       FROM ${pg.escapeIdentifier(projection.schema)}.inbox i
       JOIN bench_published p ON p.event_id = i.event_id
      WHERE i.consumer = $1 AND i.event_type = ANY($2::text[])`,
    [projection.queue, [...types]],
  );
  let lastAt = 0;
  for (const r of rows) lastAt = Math.max(lastAt, r.at);
  return { lastAt, latency: summarise(rows.map((r) => r.lag)), count: rows.length };
}

/** Stores what was published in the scratch database, so lags are joins, not JS maps. */
export async function storePublished(pool: pg.Pool, log: PublishLog): Promise<void> {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_published (event_id text PRIMARY KEY, confirmed_at timestamptz NOT NULL)',
  );
  const at = log.confirmedAt();
  const chunk = 20_000;
  for (let from = 0; from < log.ids.length; from += chunk) {
    await pool.query(
      `INSERT INTO bench_published (event_id, confirmed_at)
       SELECT id, to_timestamp(ms / 1000) FROM unnest($1::text[], $2::float8[]) AS u(id, ms)`,
      [log.ids.slice(from, from + chunk), Array.from(at.subarray(from, from + chunk))],
    );
  }
}

export async function finalDepths(
  vhost: string,
  queues: string[],
): Promise<Record<string, number>> {
  const depths = await queueDepths(vhost);
  return Object.fromEntries(queues.map((q) => [q, depths.get(q) ?? -1]));
}

/** When the last event of any type reached this projection's inbox. */
export async function lastProcessed(pool: pg.Pool, projection: Projection): Promise<number> {
  const { rows } = await pool.query<{ at: number | null }>(
    `SELECT extract(epoch FROM max(processed_at))::float8 * 1000 AS at
       FROM ${pg.escapeIdentifier(projection.schema)}.inbox WHERE consumer = $1`,
    [projection.queue],
  );
  return rows[0]?.at ?? 0;
}

/** The first `count` events of a stream. */
export function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let n = 0;
  for (const item of items) {
    yield item;
    n += 1;
    if (n >= count) return;
  }
}

/**
 * One row per projection (published events per second until its inbox held every BookingX
 * event bound to its queue, and each event's lag) and one for all of them caught up,
 * including the CRM events they pass each other.
 */
export async function projectionRows(
  pool: pg.Pool,
  projections: Projection[],
  log: PublishLog,
  group: string,
  cpuSeconds: Record<string, number>,
): Promise<Row[]> {
  await storePublished(pool, log);
  const rows: Row[] = [];
  let allLast = 0;
  for (const p of projections) {
    const lag = await inboxLag(pool, p, p.bookingx);
    allLast = Math.max(allLast, await lastProcessed(pool, p));
    let expected = 0;
    for (const t of p.bookingx) expected += log.byType.get(t) ?? 0;
    const seconds = (lag.lastAt - log.startedAt) / 1000;
    const spent = cpuSeconds[p.service];
    const row: Row = {
      label: `${p.service} caught up`,
      group,
      count: log.count,
      seconds,
      throughput: log.count / seconds,
      unit: 'events/s',
      latency: lag.latency,
      errors: expected - lag.count,
      detail: {
        bookingx_events_consumed: lag.count,
        bookingx_types: [...p.bookingx].sort().join(' '),
        crm_types: [...p.crm].sort().join(' '),
      },
    };
    rows.push(spent === undefined ? row : attachCpu(row, { [p.service]: spent }));
  }
  const seconds = (allLast - log.startedAt) / 1000;
  const all: Row = {
    label: 'all projections caught up',
    group,
    count: log.count,
    seconds,
    throughput: log.count / seconds,
    unit: 'events/s',
    latency: null,
    errors: 0,
    detail: { publish_seconds: (log.finishedAt - log.startedAt) / 1000 },
  };
  rows.push(attachCpu(all, cpuSeconds));
  return rows;
}
