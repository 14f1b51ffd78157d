import { stream } from '@crm/simulator';
import pg from 'pg';
import type { Benchmark } from '../lib/context.js';
import {
  finalDepths,
  projectionRows,
  projectionsOf,
  publishTracked,
  waitCaughtUp,
} from '../lib/pipeline.js';
import { cpuMeter, startServices } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { createScratch } from '../lib/scratch.js';
import { SIMULATED_NOW } from './ingest.js';

const SEED = 42;
const MONTHS = 12;

export const simulatorIngestBench: Benchmark = {
  name: 'simulator-ingest',
  summary:
    'everything the simulator generates for 100,000 customers (--quick: 5,000), events/s until every projection caught up',
  async run(ctx) {
    const customers = ctx.quick ? 5_000 : 100_000;
    const scratch = await createScratch(ctx, { migrate: true });
    const services = await startServices(ctx, scratch, ['profiles', 'interactions']);
    const projections = await projectionsOf(scratch.vhost, [...services.keys()]);
    const pool = new pg.Pool({ connectionString: scratch.databaseUrl, max: 2 });
    ctx.cleanup.defer('pool', () => pool.end());

    ctx.log(`generating and publishing ${customers} customers, ${MONTHS} months`);
    // Generated while it is published, as the simulator command does: memory stays flat.
    const cpu = cpuMeter([...services.values()]);
    const log = await publishTracked(
      scratch.amqpUrl,
      stream({ seed: SEED, customers, months: MONTHS, now: SIMULATED_NOW }),
    );
    const publishSeconds = (log.finishedAt - log.startedAt) / 1000;
    ctx.log(`published ${log.count} events in ${publishSeconds.toFixed(1)} s; waiting`);
    await waitCaughtUp(ctx, pool, projections, log.byType, (ctx.quick ? 20 : 240) * 60_000);
    const group = `${customers} customers`;
    const publishRow: Row = {
      label: 'simulator publish',
      group,
      count: log.count,
      seconds: publishSeconds,
      throughput: log.count / publishSeconds,
      unit: 'events/s',
      latency: null,
      errors: 0,
    };
    const spent = cpu();
    const rows = await projectionRows(pool, projections, log, group, spent);
    const depths = await finalDepths(
      scratch.vhost,
      projections.map((p) => p.queue),
    );
    const { rows: counts } = await pool.query<{
      timeline: number;
      customers: number;
      outbox: number;
    }>(
      `SELECT (SELECT count(*)::int FROM interactions.timeline_entries) AS timeline,
              (SELECT count(*)::int FROM profiles.customers) AS customers,
              (SELECT count(*)::int FROM profiles.outbox) + (SELECT count(*)::int FROM interactions.outbox) AS outbox`,
    );
    return {
      params: {
        customers,
        months: MONTHS,
        seed: SEED,
        simulated_now: SIMULATED_NOW.toISOString(),
        events: log.count,
        events_by_type: Object.fromEntries(log.byType),
        queue_depths_at_end: depths,
        timeline_entries: counts[0]?.timeline ?? 0,
        profiles_customers: counts[0]?.customers ?? 0,
        crm_events_emitted: counts[0]?.outbox ?? 0,
      },
      tables: [
        {
          title: `Simulator ingest: ${customers} customers, ${MONTHS} months, ${log.count} events`,
          baselines: ['simulator publish'],
          rows: [publishRow, ...rows],
        },
      ],
      notes: [
        'caught up: each service inbox holds every event routed to its queue (BookingX events and the CRM events the other service emitted), no outbox row is unsent, no event was dead-lettered',
        'throughput: published events divided by the time from the first publish until that projection caught up; the publish row includes generating the events',
        'latency: broker confirm of a BookingX event (end of its window of 500) → the start of the transaction that recorded it in that service',
        'CPU ms/op: CPU time of that service process (all: of both) from the first publish until caught up, per published event; Postgres and RabbitMQ not included',
      ],
    };
  },
};
