import { signDevToken } from '@crm/service-kit';
import type { Benchmark } from '../lib/context.js';
import { rotating, runHttpLoad, warmUp, type HttpLoad } from '../lib/http-load.js';
import { tryPgbench } from '../lib/pgbench.js';
import { cpuMeter, freePort, startProcess, startServices, waitReady } from '../lib/processes.js';
import { attachCpu, type Row } from '../lib/report.js';
import { createScratch, withAdmin } from '../lib/scratch.js';
import { CUSTOMER_PREFIX, seedCustomers, seededId, seededIdSql } from '../lib/seed.js';

const TENANT = '5e1f0c2a-6a4b-4c7d-9e8f-0a1b2c3d4e5f';

export const gatewayGet: Benchmark = {
  name: 'gateway-get',
  summary:
    'GET /crm/customers/{id} through the gateway vs profiles directly vs bare Express + pg vs pgbench, at 16 and 64 connections',
  async run(ctx) {
    const customers = ctx.customers ?? (ctx.quick ? 20_000 : 100_000);
    const seconds = ctx.quick ? 5 : 20;
    const warmSeconds = ctx.quick ? 2 : 5;
    const concurrencies = [16, 64];

    const scratch = await createScratch(ctx, { migrate: true });
    const seedStarted = performance.now();
    await withAdmin(scratch.databaseUrl, (c) => seedCustomers(c, TENANT, customers));
    ctx.log(
      `seeded ${customers} customers in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    const services = await startServices(ctx, scratch, ['profiles', 'gateway']);
    const barePort = await freePort();
    const bare = startProcess(ctx, 'bare-server', ['--import', 'tsx', 'bench/bare-server.ts'], {
      ...process.env,
      DATABASE_URL: scratch.databaseUrl,
      BENCH_TENANT_ID: TENANT,
      PORT: String(barePort),
    });
    const bareUrl = `http://127.0.0.1:${barePort}`;
    await waitReady('bare-server', bareUrl, bare.child, bare.logFile);

    const token = await signDevToken({
      secret: ctx.jwtSecret,
      tenant: TENANT,
      role: 'admin',
      sub: 'bench-admin',
      expiresIn: '2h',
    });
    const headers = { authorization: `Bearer ${token}` };
    const ids = Array.from({ length: customers }, (_, i) => seededId(CUSTOMER_PREFIX, i + 1));
    const paths = ids.map((id) => `/crm/customers/${id}`);

    const gatewayUrl = services.get('gateway')?.url ?? '';
    const profilesUrl = services.get('profiles')?.url ?? '';
    const firstPath = paths[0] ?? '';
    for (const [name, url] of [
      ['gateway', gatewayUrl],
      ['profiles', profilesUrl],
      ['bare', bareUrl],
    ] as const) {
      const res = await fetch(`${url}${firstPath}`, { headers });
      const body = await res.text();
      if (res.status !== 200 || !body.includes(ids[0] ?? '')) {
        throw new Error(`${name} answered ${res.status} to ${firstPath}: ${body.slice(0, 300)}`);
      }
    }

    const oneQuery = `\\set n random(1, ${customers})
SELECT * FROM profiles.customers WHERE tenant_id = :tenant AND id = ${seededIdSql(CUSTOMER_PREFIX, ':n')};`;
    const profileQueries = `\\set n random(1, ${customers})
SELECT * FROM profiles.customers WHERE tenant_id = :tenant AND id = ${seededIdSql(CUSTOMER_PREFIX, ':n')};
SELECT * FROM profiles.external_refs WHERE tenant_id = :tenant AND customer_id IN (${seededIdSql(CUSTOMER_PREFIX, ':n')});
SELECT ct.customer_id, t.name FROM profiles.customer_tags ct JOIN profiles.tags t ON t.tenant_id = ct.tenant_id AND t.id = ct.tag_id WHERE ct.tenant_id = :tenant AND ct.customer_id IN (${seededIdSql(CUSTOMER_PREFIX, ':n')});
SELECT * FROM profiles.customer_collaborators WHERE tenant_id = :tenant AND customer_id IN (${seededIdSql(CUSTOMER_PREFIX, ':n')});`;

    const processes = [
      ...[...services.values()].map((r) => ({ name: r.name, child: r.child })),
      { name: 'bare-server', child: bare.child },
    ];
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const c of concurrencies) {
      const group = `c=${c}`;
      const http = (label: string, url: string, withAuth: boolean): HttpLoad => ({
        label,
        group,
        url,
        connections: c,
        seconds,
        ...(withAuth ? { headers } : {}),
        nextPath: rotating(paths, c),
      });
      for (const load of [
        http('gateway → profiles', gatewayUrl, true),
        http('profiles direct', profilesUrl, true),
        http('bare express+pg', bareUrl, false),
      ]) {
        ctx.log(`${group} ${load.label}`);
        await warmUp(load, warmSeconds);
        const meter = cpuMeter(processes);
        const row = await runHttpLoad(load);
        rows.push(attachCpu(row, meter()));
      }
      ctx.log(`${group} pgbench`);
      const pgbench = (label: string, name: string, sql: string) =>
        tryPgbench(
          {
            label,
            group,
            databaseUrl: scratch.databaseUrl,
            clients: c,
            seconds,
            scripts: [{ name, sql }],
            variables: { tenant: TENANT },
            workDir: ctx.workDir,
            unit: 'req/s',
          },
          notes,
        );
      rows.push(...(await pgbench('pgbench 1 query', 'get-customer', oneQuery)));
      rows.push(...(await pgbench('pgbench 4 queries', 'get-customer-record', profileQueries)));
    }
    notes.push(
      'profiles reads the row and then its external refs, tags and collaborators (three more queries, in parallel); "pgbench 4 queries" runs those four in sequence per transaction',
      'bare express+pg has no auth, validation, logging or side queries: it is the floor of an Express + pg read',
      'autocannon runs in the benchmark process on the same machine as the services and Postgres',
      'CPU ms/op: CPU time of the gateway, profiles and bare-server processes per request (Postgres and autocannon not included)',
    );
    return {
      params: { customers, seconds, warm_up_seconds: warmSeconds, concurrencies, tenant: TENANT },
      tables: [
        {
          title: `GET /crm/customers/{id}, ${customers} customers, ${seconds} s per run`,
          baselines: ['bare express+pg', 'pgbench 1 query'],
          rows,
        },
      ],
      notes,
    };
  },
};
