import { encodeCursor } from '@crm/service-kit';
import { signDevToken } from '@crm/service-kit';
import type { Benchmark } from '../lib/context.js';
import { rotating, runHttpLoad, warmUp, type HttpLoad } from '../lib/http-load.js';
import { tryPgbench, type PgbenchScript } from '../lib/pgbench.js';
import { cpuMeter, startServices } from '../lib/processes.js';
import { attachCpu, type Row } from '../lib/report.js';
import { createScratch, withAdmin } from '../lib/scratch.js';
import { seededId, seededIdSql } from '../lib/seed.js';

const TENANT = '3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
const ENTRY_PREFIX = 'crm-bench-entry';
const OTHER_PREFIX = 'crm-bench-other';
const PAGE = 50;

/**
 * One customer with a long history, and other customers around it so the index is not
 * theirs alone: bookings and payments alternating, every 37 minutes back from a fixed time
 * (whole seconds, so a cursor's millisecond time is exact).
 */
const ENTRIES_SQL = (prefix: string, customer: string) => `
  INSERT INTO interactions.timeline_entries
    (tenant_id, id, customer_id, kind, type, occurred_at, actor_type, actor_id, actor_name,
     summary, icon, source_service, object_type, object_id, data, source_event_id, visibility)
  SELECT $1::uuid, ${seededIdSql(prefix, 'i')}, ${customer},
         CASE WHEN i % 2 = 0 THEN 'booking' ELSE 'payment' END,
         CASE WHEN i % 2 = 0 THEN 'bookingx.booking.completed.v1' ELSE 'bookingx.payment.captured.v1' END,
         timestamptz '2026-11-01 00:00:00Z' - i * interval '37 minutes',
         'bookingx', (1000 + i % 500)::text, 'Anna Schmidt',
         CASE WHEN i % 2 = 0 THEN 'Completed: Haircut and blow-dry with Jonas' ELSE 'Paid EUR 45.00 by card' END,
         CASE WHEN i % 2 = 0 THEN 'calendar-check' ELSE 'credit-card' END,
         'bookingx', CASE WHEN i % 2 = 0 THEN 'booking' ELSE 'payment' END, (200000 + i)::text,
         jsonb_build_object('status', 'completed', 'revision', 2, 'service', 'Haircut and blow-dry',
           'staff', 'Jonas', 'price', jsonb_build_object('amount_minor', 4500, 'currency', 'EUR')),
         '${prefix}/' || i, 'all'
    FROM generate_series(1, $2::int) AS i`;

export const timelineBench: Benchmark = {
  name: 'timeline',
  summary:
    'GET /crm/customers/{id}/timeline (first and deep pages of 50) for a customer with 10,000 entries vs the same SQL in pgbench',
  async run(ctx) {
    const entries = 10_000;
    const others = ctx.quick ? 500 : 5_000;
    const seconds = ctx.quick ? 5 : 20;
    const warmSeconds = ctx.quick ? 2 : 5;
    const connections = 16;
    const customer = seededId('crm-bench-timeline-customer', 1);

    const scratch = await createScratch(ctx, { migrate: true });
    const cursors = await withAdmin(scratch.databaseUrl, async (c) => {
      await c.query(ENTRIES_SQL(ENTRY_PREFIX, `'${customer}'::uuid`), [TENANT, entries]);
      // 20 entries each for the other customers.
      await c.query(
        ENTRIES_SQL(OTHER_PREFIX, seededIdSql('crm-bench-timeline-other', '(i % $3::int)')),
        [TENANT, others * 20, others],
      );
      await c.query(
        `INSERT INTO interactions.customer_access (tenant_id, customer_id, version)
         VALUES ($1, $2, 1)`,
        [TENANT, customer],
      );
      await c.query('ANALYZE interactions.timeline_entries, interactions.customer_access');
      // The last entry of pages 100 to 199 (entries 5,000 to 9,950): where a deep page starts.
      const { rows } = await c.query<{ at: Date; id: string }>(
        `SELECT occurred_at AS at, id FROM (
           SELECT occurred_at, id, row_number() OVER (ORDER BY occurred_at DESC, id DESC) AS n
             FROM interactions.timeline_entries WHERE tenant_id = $1 AND customer_id = $2) t
          WHERE n % $3 = 0 AND n BETWEEN $4 AND $5 ORDER BY n`,
        [TENANT, customer, PAGE * 5, PAGE * 100, entries - PAGE],
      );
      return rows.map((r) => ({ at: r.at.toISOString(), id: r.id }));
    });
    ctx.log(`seeded ${entries} entries for one customer and ${others * 20} for ${others} others`);

    const services = await startServices(ctx, scratch, ['interactions', 'gateway']);
    const token = await signDevToken({
      secret: ctx.jwtSecret,
      tenant: TENANT,
      role: 'admin',
      sub: 'bench-admin',
      expiresIn: '2h',
    });
    const headers = { authorization: `Bearer ${token}` };
    const base = `/crm/customers/${customer}/timeline?limit=${PAGE}`;
    const firstPage = [base];
    const deepPages = cursors.map((k) => `${base}&cursor=${encodeCursor([k.at, k.id])}`);

    const gatewayUrl = services.get('gateway')?.url ?? '';
    const interactionsUrl = services.get('interactions')?.url ?? '';
    for (const path of [base, deepPages[0] ?? base]) {
      const res = await fetch(`${gatewayUrl}${path}`, { headers });
      const body = (await res.json()) as { data?: unknown[] };
      if (res.status !== 200 || body.data?.length !== PAGE) {
        throw new Error(`timeline answered ${res.status} to ${path}: ${JSON.stringify(body)}`);
      }
    }

    const checks = `SELECT survivor_id FROM interactions.customer_aliases WHERE tenant_id = :tenant AND merged_id = :customer;
SELECT 1 FROM interactions.customer_access WHERE tenant_id = :tenant AND customer_id = :customer LIMIT 1;`;
    const page = (cursor: string) =>
      `SELECT * FROM interactions.timeline_entries WHERE tenant_id = :tenant AND customer_id = :customer${cursor} ORDER BY occurred_at DESC, id DESC LIMIT ${PAGE + 1};`;
    const variables: Record<string, string> = { tenant: TENANT, customer };
    const deepScripts: PgbenchScript[] = cursors.map((k, i) => {
      variables[`at${i}`] = k.at;
      variables[`id${i}`] = k.id;
      return {
        name: `deep-${i}`,
        sql: `${checks}\n${page(` AND (occurred_at, id) < (:at${i}::timestamptz, :id${i}::uuid)`)}`,
      };
    });

    const rows: Row[] = [];
    const notes: string[] = [];
    for (const [group, paths, scripts] of [
      ['first page', firstPage, [{ name: 'first', sql: `${checks}\n${page('')}` }]],
      ['deep pages', deepPages, deepScripts],
    ] as const) {
      const http = (label: string, url: string): HttpLoad => ({
        label,
        group,
        url,
        connections,
        seconds,
        headers,
        nextPath: rotating(paths),
      });
      for (const load of [
        http('gateway → interactions', gatewayUrl),
        http('interactions direct', interactionsUrl),
      ]) {
        ctx.log(`${group}: ${load.label}`);
        await warmUp(load, warmSeconds);
        const meter = cpuMeter([...services.values()]);
        const row = await runHttpLoad(load);
        rows.push(attachCpu(row, meter()));
      }
      ctx.log(`${group}: pgbench`);
      rows.push(
        ...(await tryPgbench(
          {
            label: 'pgbench',
            group,
            databaseUrl: scratch.databaseUrl,
            clients: connections,
            seconds,
            scripts: [...scripts],
            variables,
            workDir: ctx.workDir,
            unit: 'req/s',
          },
          notes,
        )),
      );
    }
    return {
      params: {
        entries,
        other_customers: others,
        other_entries: others * 20,
        page_size: PAGE,
        deep_cursors: cursors.length,
        connections,
        seconds,
        warm_up_seconds: warmSeconds,
      },
      tables: [
        {
          title: `Timeline of a customer with ${entries} entries, pages of ${PAGE}, ${connections} connections, ${seconds} s per run`,
          baselines: ['pgbench'],
          rows,
        },
      ],
      notes: [
        ...notes,
        `deep pages rotate through ${cursors.length} cursors between entry ${PAGE * 100} and ${entries - PAGE}`,
        'pgbench runs the three queries interactions runs per request: alias lookup, access check, the page (limit + 1)',
        'autocannon runs in the benchmark process on the same machine as the services and Postgres',
        'CPU ms/op: CPU time of the gateway and interactions processes per request (Postgres and autocannon not included)',
      ],
    };
  },
};
