import { stream } from '@crm/simulator';
import pg from 'pg';
import type { Benchmark } from '../lib/context.js';
import {
  ackOnlyConsumer,
  baselineRow,
  finalDepths,
  projectionRows,
  projectionsOf,
  publishTracked,
  take,
  waitCaughtUp,
} from '../lib/pipeline.js';
import { cpuMeter, startServices } from '../lib/processes.js';
import { createScratch } from '../lib/scratch.js';

/** A fixed present, so every run publishes the very same events. */
export const SIMULATED_NOW = new Date('2026-11-24T12:00:00Z');
const SEED = 7;
const PREFETCH = 50;

export const ingestBench: Benchmark = {
  name: 'ingest',
  summary:
    'bookingx.* events/s until committed in the interactions (and profiles) projections vs an ack-only amqplib consumer',
  async run(ctx) {
    const target = ctx.quick ? 10_000 : 50_000;
    const sample = 300;
    const sampled = [...stream({ seed: SEED, customers: sample, now: SIMULATED_NOW })].length;
    // A world a little larger than needed, cut at `target` events: the first months of it.
    const customers = Math.ceil((target / sampled) * sample * 1.1);
    const events = [...take(stream({ seed: SEED, customers, now: SIMULATED_NOW }), target)];
    ctx.log(`${events.length} events from a world of ${customers} customers`);

    const scratch = await createScratch(ctx, { migrate: true });
    const group = `${events.length} events`;

    ctx.log('baseline: ack-only consumer');
    const baseline = await ackOnlyConsumer(scratch.amqpUrl, 'bench.ingest.baseline', PREFETCH);
    ctx.cleanup.defer('baseline consumer', baseline.close);
    const baseLog = await publishTracked(scratch.amqpUrl, events);
    await baseline.done(baseLog.count);
    const baselineResult = baselineRow('amqplib ack-only', group, baseLog, baseline.ackedAt);
    await baseline.close();

    const services = await startServices(ctx, scratch, ['profiles', 'interactions']);
    const projections = await projectionsOf(scratch.vhost, [...services.keys()]);
    const pool = new pg.Pool({ connectionString: scratch.databaseUrl, max: 2 });
    ctx.cleanup.defer('pool', () => pool.end());

    ctx.log('services: publishing');
    const cpu = cpuMeter([...services.values()]);
    const log = await publishTracked(scratch.amqpUrl, events);
    ctx.log(
      `published ${log.count} in ${((log.finishedAt - log.startedAt) / 1000).toFixed(1)} s; waiting for the projections`,
    );
    await waitCaughtUp(ctx, pool, projections, log.byType, (ctx.quick ? 10 : 30) * 60_000);
    const spent = cpu();
    const rows = await projectionRows(pool, projections, log, group, spent);
    const depths = await finalDepths(
      scratch.vhost,
      projections.map((p) => p.queue),
    );
    const { rows: counts } = await pool.query<{ timeline: number; customers: number }>(
      `SELECT (SELECT count(*)::int FROM interactions.timeline_entries) AS timeline,
              (SELECT count(*)::int FROM profiles.customers) AS customers`,
    );
    return {
      params: {
        events: log.count,
        seed: SEED,
        simulated_now: SIMULATED_NOW.toISOString(),
        world_customers: customers,
        events_by_type: Object.fromEntries(log.byType),
        prefetch: PREFETCH,
        queue_depths_at_end: depths,
        timeline_entries: counts[0]?.timeline ?? 0,
        profiles_customers: counts[0]?.customers ?? 0,
      },
      tables: [
        {
          title: `Ingest of ${log.count} BookingX events from the simulator, quorum queues`,
          baselines: ['amqplib ack-only'],
          rows: [baselineResult, ...rows],
        },
      ],
      notes: [
        'throughput: every published event divided by the time from the first publish to the moment that projection (or the ack-only consumer) had them all',
        'latency: broker confirm of the event (end of its confirm window of 500) → the inbox row of the handling transaction (its start time); the baseline: confirm → ack',
        'profiles and interactions run as separate processes; the publisher and the ack-only consumer run in the benchmark process',
        'CPU ms/op: CPU time of that service process (all: of both) from the first publish until caught up, per published event; Postgres and RabbitMQ not included',
      ],
    };
  },
};
