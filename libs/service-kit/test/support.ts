import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromWire, type CloudEvent } from '@crm/contracts';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { inject } from 'vitest';
import { Broker } from '../src/broker.js';
import { createDatabase, type Database } from '../src/db.js';
import { runMigrations } from '../src/migrate.js';
import { Outbox } from '../src/outbox.js';
import { defineTestService, type TestService } from './fixtures/schema.js';

export interface TestEnv {
  databaseUrl: string;
  amqpUrl: string;
  runId: string;
}

export function testEnv(): TestEnv {
  return { databaseUrl: inject('databaseUrl'), amqpUrl: inject('amqpUrl'), runId: inject('runId') };
}

/** A lower-case name no other test file or run uses: safe for schemas, roles and queues. */
export function uniqueName(label: string): string {
  return `${label}_${inject('runId')}_${randomBytes(3).toString('hex')}`.toLowerCase();
}

/** A promise whose resolution the test decides: holds a handler or a route mid-flight. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

export const silentLogger: Logger = pino({ level: 'silent' });

/** A logger that keeps its lines, for tests that assert what the kit noticed. */
export function recordingLogger(): { logger: Logger; messages: () => string[] } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(line);
      },
    },
  );
  return {
    logger,
    messages: () =>
      lines.map((line) => {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null && 'msg' in parsed
          ? String(parsed.msg)
          : '';
      }),
  };
}

const FIXTURE_MIGRATIONS = join(import.meta.dirname, 'fixtures', 'migrations');

/**
 * The fixture migrations are drizzle-kit's output for schema `kit_test`; each test file
 * applies a copy renamed to its own schema, so files running side by side never meet.
 */
export async function migrationsFor(schemaName: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kit-migrations-'));
  await cp(FIXTURE_MIGRATIONS, dir, { recursive: true });
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.sql')) continue;
    const text = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), text.replaceAll('"kit_test"', `"${schemaName}"`));
  }
  return dir;
}

export interface TestServiceDb {
  schemaName: string;
  tables: TestService;
  database: Database;
  outbox: Outbox;
  close: () => Promise<void>;
}

/** Migrates a fresh schema of the tiny service and opens a pool on it. */
export async function createTestServiceDb(label: string): Promise<TestServiceDb> {
  const { databaseUrl } = testEnv();
  const schemaName = uniqueName(`kit_test_${label}`);
  const migrationsFolder = await migrationsFor(schemaName);
  try {
    await runMigrations({ databaseUrl, schema: schemaName, migrationsFolder });
  } finally {
    await rm(migrationsFolder, { recursive: true, force: true });
  }
  const tables = defineTestService(schemaName);
  const database = createDatabase({ url: databaseUrl, max: 10, applicationName: schemaName });
  return {
    schemaName,
    tables,
    database,
    outbox: new Outbox(tables, schemaName),
    close: () => database.close(),
  };
}

export async function openBroker(label: string, logger: Logger = silentLogger): Promise<Broker> {
  const broker = await Broker.connect(testEnv().amqpUrl, `kit-test-${label}`, logger);
  await broker.ready();
  return broker;
}

/** One plain connection for the test's own publishing and inspecting, outside the kit. */
export class TestAmqp {
  private constructor(
    readonly model: ChannelModel,
    readonly channel: Channel,
  ) {}

  static async open(): Promise<TestAmqp> {
    const model = await connect(testEnv().amqpUrl);
    model.on('error', () => undefined);
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    return new TestAmqp(model, channel);
  }

  /** Ready messages in a queue; throws (and leaves the connection open) when there is none. */
  async messageCount(queue: string): Promise<number> {
    const ch = await this.model.createChannel();
    ch.on('error', () => undefined);
    const state = { closedByServer: false };
    ch.on('close', () => {
      state.closedByServer = true;
    });
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } finally {
      // Closing a channel the server is closing too would cost the whole connection.
      if (!state.closedByServer) await ch.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }
}

/** An exclusive queue bound to an exchange that records every event it receives. */
export class QueueProbe {
  readonly received: CloudEvent[] = [];
  readonly raw: ConsumeMessage[] = [];

  private constructor(
    private readonly model: ChannelModel,
    readonly queue: string,
  ) {}

  static async bind(exchange: string, pattern = '#'): Promise<QueueProbe> {
    const model = await connect(testEnv().amqpUrl);
    model.on('error', () => undefined);
    const channel = await model.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, pattern);
    const probe = new QueueProbe(model, queue);
    await channel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        probe.raw.push(msg);
        try {
          probe.received.push(fromWire(msg.content));
        } catch {
          // not an event: kept in `raw` only
        }
      },
      { noAck: true },
    );
    return probe;
  }

  count(eventId: string): number {
    return this.received.filter((e) => e.id === eventId).length;
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }
}

/** A superuser connection to the test database, for inspecting and breaking things. */
export async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: testEnv().databaseUrl });
  await client.connect();
  return client;
}

/**
 * A TCP proxy on loopback that can cut its connections the way a failover does: the
 * server side is gone at once, while the client learns of it only when it next sends.
 */
export class FaultProxy {
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private readonly server: net.Server;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      const pair = { client, upstream };
      this.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const close = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      client.on('close', close);
      upstream.on('error', close);
    });
  }

  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The same URL, through this proxy. */
  url(original: string): string {
    const u = new URL(original);
    u.hostname = '127.0.0.1';
    u.port = String((this.server.address() as net.AddressInfo).port);
    return u.toString();
  }

  /** Drops every server side now; each client side closes when it next writes. */
  cutSilently(): void {
    for (const pair of this.pairs) {
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.upstream.removeAllListeners('error');
      pair.upstream.on('error', () => undefined);
      pair.upstream.destroy();
      pair.client.once('data', () => pair.client.destroy());
      pair.client.resume();
    }
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
