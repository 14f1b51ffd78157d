import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    amqpUrl: string;
    runId: string;
  }
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

interface Started {
  adminDatabaseUrl: string;
  amqpBaseUrl: string;
  stop: () => Promise<void>;
}

/** DATABASE_URL / AMQP_URL when given, else the services on localhost, else testcontainers. */
async function locateServices(): Promise<Started> {
  const envDb = process.env.DATABASE_URL;
  const envAmqp = process.env.AMQP_URL;
  if (envDb && envAmqp) {
    return { adminDatabaseUrl: envDb, amqpBaseUrl: envAmqp, stop: async () => {} };
  }
  if ((await reachable('127.0.0.1', 5432)) && (await reachable('127.0.0.1', 5672))) {
    return {
      adminDatabaseUrl: envDb ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      amqpBaseUrl: envAmqp ?? 'amqp://guest:guest@127.0.0.1:5672',
      stop: async () => {},
    };
  }
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
    const pgc = await new PostgreSqlContainer('postgres:15').start();
    const rmq = await new RabbitMQContainer('rabbitmq:3.13-management').start();
    return {
      adminDatabaseUrl: pgc.getConnectionUri(),
      amqpBaseUrl: rmq.getAmqpUrl(),
      stop: async () => {
        await Promise.all([pgc.stop(), rmq.stop()]);
      },
    };
  } catch (err) {
    throw new Error(
      'No PostgreSQL/RabbitMQ reachable: set DATABASE_URL and AMQP_URL, start them on localhost, ' +
        `or provide a container runtime for testcontainers (${(err as Error).message})`,
      { cause: err },
    );
  }
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

function rabbitmqctl(args: string[]): void {
  execFileSync('rabbitmqctl', args, { stdio: 'ignore' });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await locateServices();
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `crm_test_${runId}`;
  const vhost = `crm-test-${runId}`;

  const admin = new pg.Client({ connectionString: services.adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  let amqpUrl = services.amqpBaseUrl;
  let vhostCreated = false;
  try {
    rabbitmqctl(['add_vhost', vhost]);
    const user = decodeURIComponent(new URL(services.amqpBaseUrl).username || 'guest');
    rabbitmqctl(['set_permissions', '-p', vhost, user, '.*', '.*', '.*']);
    amqpUrl = withVhost(services.amqpBaseUrl, vhost);
    vhostCreated = true;
  } catch {
    // No rabbitmqctl here (remote broker): run in the given vhost; queue names carry the run id.
  }

  const databaseUrl = withDatabase(services.adminDatabaseUrl, database);
  project.provide('databaseUrl', databaseUrl);
  project.provide('amqpUrl', amqpUrl);
  project.provide('runId', runId);

  return async () => {
    const c = new pg.Client({ connectionString: services.adminDatabaseUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.end();
    if (vhostCreated) {
      try {
        rabbitmqctl(['delete_vhost', vhost]);
      } catch {
        // the broker may be mid-restart after a fault test; the vhost is harmless
      }
    }
    await services.stop();
  };
}
