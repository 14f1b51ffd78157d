/**
 * Starts the whole cluster on this machine: creates the database, applies migrations,
 * starts every service, loads demo data from the BookingX simulator, and prints where
 * to reach it. `--detach` leaves the services running in the background
 * (stop them with `pnpm stop:all`); otherwise Ctrl-C stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_TENANT_ID } from '@crm/simulator';
import pg from 'pg';
import { migrateAll } from './migrate-all.js';
import { SERVICES } from './services.js';

const { values } = parseArgs({
  options: {
    detach: { type: 'boolean', default: false },
    customers: { type: 'string', default: '300' },
    months: { type: 'string', default: '12' },
    'no-demo': { type: 'boolean', default: false },
  },
});

const root = fileURLToPath(new URL('..', import.meta.url));
const runDir = `${root}.run`;
const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const jwtSecret = process.env.JWT_SECRET ?? 'development-secret-change-me-0123456789abcdef';
const say = (m: string) => process.stdout.write(`${m}\n`);

async function ensureDatabase(): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    say(`created database ${name}`);
  }
  await client.end();
}

function startService(name: string, port: number, schema: string | undefined): ChildProcess {
  mkdirSync(`${runDir}/logs`, { recursive: true });
  const log = openSync(`${runDir}/logs/${name}.log`, 'a');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    AMQP_URL: amqpUrl,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    // The gateway signs demo tokens at POST /crm/dev/token; the other services ignore these.
    DEV_TOKENS: 'true',
    DEV_TENANT_ID: DEMO_TENANT_ID,
  };
  if (schema) env.DATABASE_ROLE = `crm_${schema}`;
  for (const s of SERVICES)
    env[`${s.name.toUpperCase().replace('-', '_')}_URL`] = `http://127.0.0.1:${s.port}`;
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', `services/${name}/src/main.ts`],
    { cwd: root, env, stdio: ['ignore', log, log], detached: values.detach },
  );
}

/** Builds the staff console the gateway serves at /crm/app/; the API works without it. */
function buildConsole(): boolean {
  const run = spawnSync(
    process.execPath,
    [`${root}apps/console/node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'],
    { cwd: `${root}apps/console`, stdio: 'inherit' },
  );
  return run.status === 0;
}

async function waitReady(name: string, port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with code ${child.exitCode}; see .run/logs/${name}.log`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not ready within 60 s; see .run/logs/${name}.log`);
}

/** A demo admin's token, from the gateway's development route. */
async function demoSignIn(): Promise<{ token: string; expires_at: string }> {
  const res = await fetch('http://127.0.0.1:8080/crm/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      role: 'admin',
      sub: 'demo-admin',
      name: 'Demo Admin',
      email: 'admin@demo.example',
    }),
  });
  if (!res.ok) throw new Error(`the gateway signed no demo token (${res.status})`);
  return (await res.json()) as { token: string; expires_at: string };
}

async function main(): Promise<void> {
  say('1/5 database');
  await ensureDatabase();
  say('2/5 migrations');
  await migrateAll(databaseUrl, (m) => say(`    ${m}`));
  say('3/5 console');
  const consoleBuilt = buildConsole();
  if (!consoleBuilt) say('    the console did not build; the API runs without it');
  say('4/5 services');
  const children: ChildProcess[] = [];
  const stopAll = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  };
  process.once('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  process.once('SIGTERM', () => {
    stopAll();
    process.exit(143);
  });
  for (const s of SERVICES) {
    const child = startService(s.name, s.port, s.schema);
    children.push(child);
    await waitReady(s.name, s.port, child);
    say(`    ${s.name.padEnd(13)} http://127.0.0.1:${s.port}  ready`);
  }
  writeFileSync(`${runDir}/pids`, children.map((c) => String(c.pid)).join('\n'));

  if (!values['no-demo']) {
    say('5/5 demo data from the BookingX simulator');
    const sim = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=source',
        'tools/simulator/src/cli.ts',
        '--customers',
        values.customers,
        '--months',
        values.months,
        '--amqp-url',
        amqpUrl,
      ],
      { cwd: root, stdio: 'inherit' },
    );
    const code = await new Promise<number | null>((r) => sim.on('exit', r));
    if (code !== 0) throw new Error('the simulator failed');
  }

  const signIn = await demoSignIn();
  say('');
  say('Enhanced CRM is running.');
  say(`  Gateway:   http://127.0.0.1:8080/crm`);
  say(`  API docs:  http://127.0.0.1:8080/crm/docs`);
  if (consoleBuilt)
    say(`  Console:   http://127.0.0.1:8080/crm/app/  (sign in with the token below)`);
  say(`  Tenant:    ${DEMO_TENANT_ID} (demo)`);
  say(
    `  Sign in:   http://localhost:8080/crm/app/ with the admin token (until ${signIn.expires_at}):`,
  );
  say(`  ${signIn.token}`);
  say(
    `  Other roles: curl -X POST -H 'Content-Type: application/json' -d '{"role":"staff"}' http://127.0.0.1:8080/crm/dev/token`,
  );
  say('');
  say(`  Try: curl -H "Authorization: Bearer <token>" http://127.0.0.1:8080/crm/customers?limit=5`);
  // A secret given in the environment is not echoed; the development default is no secret.
  const secret = process.env.JWT_SECRET === undefined ? jwtSecret : '"$JWT_SECRET"';
  say(
    `  Another token: JWT_SECRET=${secret} pnpm dev:token -- --tenant ${DEMO_TENANT_ID} --role manager --name "Demo Manager"`,
  );
  say(`  Logs: .run/logs/<service>.log`);
  if (values.detach) {
    for (const c of children) c.unref();
    say('  Stop: pnpm stop:all');
    process.exit(0);
  }
  say('  Stop: Ctrl-C');
  await new Promise(() => undefined);
}

main().catch((err: unknown) => {
  process.stderr.write(`start failed: ${(err as Error).message}\n`);
  process.exit(1);
});
