import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrateAll } from '../../scripts/migrate-all.js';
import type { BenchContext } from './context.js';

const run = promisify(execFile);

export interface Scratch {
  databaseName: string;
  databaseUrl: string;
  vhost: string;
  amqpUrl: string;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function withVhost(url: string, vhost: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(vhost)}`;
  return u.toString();
}

/**
 * A database and a RabbitMQ vhost of this benchmark's own, dropped at its end, so runs
 * never see each other's rows or queues (nor the test suites', nor a developer's cluster).
 */
export async function createScratch(
  ctx: BenchContext,
  options: { migrate: boolean },
): Promise<Scratch> {
  const id = randomBytes(4).toString('hex');
  const databaseName = `crm_bench_${id}`;
  const vhost = `crm-bench-${id}`;

  const admin = new pg.Client({ connectionString: ctx.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(databaseName)}`);
  } finally {
    await admin.end();
  }
  ctx.cleanup.defer(`drop database ${databaseName}`, async () => {
    const c = new pg.Client({ connectionString: ctx.adminUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName)} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });

  await run('rabbitmqctl', ['add_vhost', vhost]);
  ctx.cleanup.defer(`delete vhost ${vhost}`, async () => {
    await run('rabbitmqctl', ['delete_vhost', vhost]);
  });
  const user = decodeURIComponent(new URL(ctx.amqpBaseUrl).username || 'guest');
  await run('rabbitmqctl', ['set_permissions', '-p', vhost, user, '.*', '.*', '.*']);

  const databaseUrl = withDatabase(ctx.adminUrl, databaseName);
  if (options.migrate) await migrateAll(databaseUrl, () => undefined);
  ctx.log(`scratch database ${databaseName}, vhost ${vhost}`);
  return { databaseName, databaseUrl, vhost, amqpUrl: withVhost(ctx.amqpBaseUrl, vhost) };
}

/** Runs statements as the superuser on the scratch database (seeding, ANALYZE). */
export async function withAdmin<T>(
  databaseUrl: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Each queue of the vhost with ready + unacknowledged messages; one rabbitmqctl call. */
export async function queueDepths(vhost: string): Promise<Map<string, number>> {
  const { stdout } = await run('rabbitmqctl', [
    'list_queues',
    '-p',
    vhost,
    'name',
    'messages',
    '--no-table-headers',
    '--quiet',
  ]);
  const depths = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const [name, messages] = line.trim().split('\t');
    if (name && messages !== undefined) depths.set(name, Number(messages));
  }
  return depths;
}

export interface Binding {
  source: string;
  destination: string;
  key: string;
}

/** Every binding of the vhost: which event types reach which queue. */
export async function bindingsOf(vhost: string): Promise<Binding[]> {
  const { stdout } = await run('rabbitmqctl', [
    'list_bindings',
    '-p',
    vhost,
    'source_name',
    'destination_name',
    'routing_key',
    '--no-table-headers',
    '--quiet',
  ]);
  const bindings: Binding[] = [];
  for (const line of stdout.split('\n')) {
    const [source, destination, key] = line.split('\t');
    if (source && destination && key !== undefined) {
      bindings.push({ source, destination, key: key.trim() });
    }
  }
  return bindings;
}
