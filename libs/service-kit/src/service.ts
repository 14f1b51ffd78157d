import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { PgSchema } from 'drizzle-orm/pg-core';
import type { Express, RequestHandler } from 'express';
import { Gauge } from 'prom-client';
import { z } from 'zod';
import { authenticate, verifierFrom, type TokenVerifier } from './auth.js';
import { Broker } from './broker.js';
import { BaseConfig, loadConfig } from './config.js';
import { Consumer, type ConsumerOptions, type Handlers } from './consumer.js';
import { DeadLetterStore, deadLetterRoutes } from './dead-letters.js';
import { mountRoutes, type BoundRoute } from './routes.js';
import { createDatabase, type Database } from './db.js';
import { createServiceApp, type ReadinessCheck } from './http.js';
import { CustomerReplicaConfig } from './customers/config.js';
import type { CustomerDataDeclaration } from './customers/declaration.js';
import { CustomerModule, combineHandlers } from './customers/module.js';
import { ProfilesLookup } from './customers/replica.js';
import { customerTables } from './customers/tables.js';
import { MemberDirectoryConfig } from './members/config.js';
import { MemberDirectory } from './members/module.js';
import { GatewayMemberLookup } from './members/replica.js';
import { memberTables } from './members/tables.js';
import { idempotency, purgeIdempotencyKeys } from './idempotency.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, defaultMetricsPort, serveMetrics, type Metrics } from './metrics.js';
import { Outbox } from './outbox.js';
import { OutboxRelay } from './relay.js';
import { closeServer, onShutdown } from './shutdown.js';
import { kitTables, type KitTables } from './tables.js';
import { startJobs, type PgBoss } from './jobs.js';
import { startTelemetry } from './telemetry.js';
import { listen } from './http.js';

/** What a service hands the kit: its name, schema, config, routes and handlers. */
export interface ServiceDefinition<C extends BaseConfig, D> {
  name: string;
  schema: PgSchema;
  config: z.ZodType<C>;
  defaultPort: number;
  /** Builds the service's own dependencies (repositories, use cases) from the kit's. */
  build: (kit: KitDeps<C>) => D;
  /** The service's routes of the contracts' table, each bound to its handler (`handle`). */
  routes?: (deps: D, kit: KitDeps<C>) => readonly BoundRoute[];
  /**
   * Where the migrations of `schema` are; /readyz answers 503 while any of them is not
   * applied, so a new version takes no traffic before its schema does.
   */
  migrationsFolder: string;
  /** JSON body limit, e.g. '2mb' for batch ingest; default 256kb. */
  bodyLimit?: string;
  /** Media types some route takes as a raw upload (e.g. text/csv), and their size limit in bytes. */
  uploads?: (config: C) => { types: string[]; limit: number };
  handlers?: (deps: D, kit: KitDeps<C>) => Handlers;
  /** How the consumer batches: `ConsumerOptions.partitionKey` and `.transaction`. */
  consumer?: (deps: D) => Pick<ConsumerOptions, 'partitionKey' | 'transaction'>;
  /**
   * The customer data the service keeps: the kit then wires the replica of assignments (with
   * `replica`), merge and erasure into its consumer, and hands the modules over as `kit.customers`.
   * The schema must spread `customerTables` in.
   */
  customers?: CustomerDataDeclaration;
  /**
   * The service checks assignments against the gateway's staff directory: the kit keeps the
   * replica (the schema must spread `memberTables` in) and hands it over as `kit.members`.
   */
  members?: boolean;
  /** Scheduled work on pg-boss; started only when the service declares some. */
  jobs?: (boss: PgBoss, deps: D, kit: KitDeps<C>) => Promise<void>;
  /**
   * For a service that answers more than its routes (the gateway): middleware ahead of body
   * parsing, authentication and the routes, given the routes the service serves itself.
   */
  edge?: (deps: D, kit: KitDeps<C>, routes: readonly BoundRoute[]) => RequestHandler[];
  /** Checks every authenticated caller before the routes (the gateway's staff directory). */
  admit?: (deps: D, kit: KitDeps<C>) => RequestHandler;
  /** /readyz checks besides the database, the broker and the migrations. */
  readiness?: (deps: D, kit: KitDeps<C>) => Record<string, ReadinessCheck>;
  /** Closes what `build` opened (outbound pools), once HTTP has drained. */
  stop?: (deps: D) => Promise<void>;
}

export interface KitDeps<C> {
  config: C;
  logger: Logger;
  metrics: Metrics;
  database: Database;
  tables: KitTables;
  outbox: Outbox;
  broker: Broker;
  verify: TokenVerifier;
  /** Present when the service declares `customers`. */
  customers?: CustomerModule | undefined;
  /** Present when the service declares `members`. */
  members?: MemberDirectory | undefined;
}

export interface RunningService<C, D> {
  kit: KitDeps<C>;
  deps: D;
  app: Express;
  server: Server;
  url: string;
  /** The Prometheus listener, apart from the public port: `${metricsUrl}/metrics`. */
  metricsUrl: string;
  consumer: Consumer;
  relay: OutboxRelay;
  deadLetters: DeadLetterStore;
  jobs: PgBoss;
  /** Graceful stop: HTTP, consumers, relay, jobs, broker, pool. */
  stop: () => Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  port?: number;
  /** Port of the /metrics listener (tests pass 0); else METRICS_PORT, else the service's default. */
  metricsPort?: number;
  /** Prefix for queue names, so test suites sharing a broker never share a queue. */
  queuePrefix?: string;
  /** Install SIGTERM/SIGINT handlers (the real process does; tests do not). */
  signals?: boolean;
}

export const PortConfig = z.object({ PORT: z.coerce.number().int().min(0).max(65535).optional() });

export async function startService<C extends BaseConfig, D>(
  def: ServiceDefinition<C, D>,
  options: StartOptions = {},
): Promise<RunningService<C, D>> {
  const env = options.env ?? process.env;
  const config = loadConfig(def.config as unknown as z.ZodObject, env) as C;
  const port = options.port ?? loadConfig(PortConfig, env).PORT ?? def.defaultPort;
  const telemetry = config.OTEL_ENABLED
    ? startTelemetry({ service: def.name, endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT })
    : null;
  const logger = createLogger(def.name, config.LOG_LEVEL);
  const metrics = createMetrics(def.name);
  const schemaName = def.schema.schemaName;
  const database = createDatabase({
    url: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    role: config.DATABASE_ROLE,
    applicationName: def.name,
  });
  const tables = kitTables(def.schema);
  const outbox = new Outbox(tables, schemaName);
  const broker = await Broker.connect(config.AMQP_URL, def.name, logger);
  const verify = verifierFrom(config);
  const expectedMigrations = migrationsIn(def.migrationsFolder);
  // Read like PORT: the service's config schema includes CustomerReplicaConfig for its docs.
  const lookup = def.customers?.replica
    ? ProfilesLookup.to(loadConfig(CustomerReplicaConfig, env), metrics)
    : null;
  const customers = def.customers
    ? new CustomerModule(def.customers, tables, customerTables(def.schema), lookup)
    : undefined;
  const gateway = def.members ? loadConfig(MemberDirectoryConfig, env) : null;
  const memberLookup = gateway?.GATEWAY_URL
    ? GatewayMemberLookup.to(gateway.GATEWAY_URL, gateway.GATEWAY_TIMEOUT_MS, metrics)
    : null;
  const members = def.members
    ? new MemberDirectory(memberTables(def.schema), memberLookup)
    : undefined;
  const kit: KitDeps<C> = {
    config,
    logger,
    metrics,
    database,
    tables,
    outbox,
    broker,
    verify,
    customers,
    members,
  };
  const deps = def.build(kit);

  new Gauge({
    name: 'outbox_pending_events',
    help: 'Committed events not yet confirmed by the broker',
    registers: [metrics.registry],
    async collect() {
      const { rows } = await database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${schemaName}.outbox WHERE sent_at IS NULL`,
      );
      this.set(rows[0]?.n ?? 0);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_seconds',
    help: 'Age of the oldest unpublished event (outbox lag)',
    registers: [metrics.registry],
    async collect() {
      const { rows } = await database.pool.query<{ s: number | null }>(
        `SELECT extract(epoch FROM now() - min(created_at))::float8 AS s
           FROM ${schemaName}.outbox WHERE sent_at IS NULL`,
      );
      this.set(rows[0]?.s ?? 0);
    },
  });

  const consumer = new Consumer({
    service: def.name,
    queuePrefix: options.queuePrefix,
    broker,
    db: database.db,
    tables,
    outbox,
    handlers: consumerHandlers(def.handlers?.(deps, kit) ?? {}, customers, members),
    logger,
    metrics,
    prefetch: config.AMQP_PREFETCH,
    deliveryLimit: config.AMQP_DELIVERY_LIMIT,
    retryBaseMs: config.AMQP_RETRY_BASE_MS,
    retryMaxMs: config.AMQP_RETRY_MAX_MS,
    batchSize: config.CONSUMER_BATCH_SIZE,
    concurrency: config.CONSUMER_CONCURRENCY,
    ...def.consumer?.(deps),
  });
  const deadLetters = new DeadLetterStore({
    broker,
    db: database.db,
    tables,
    outbox,
    queue: consumer.queue,
    dlq: consumer.dlq,
    logger,
  });
  const relay = new OutboxRelay({
    pool: database.pool,
    databaseUrl: config.DATABASE_URL,
    schema: schemaName,
    broker,
    logger,
    metrics,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollMs: config.OUTBOX_POLL_MS,
  });

  const bound = [...(def.routes?.(deps, kit) ?? []), ...deadLetterRoutes(deadLetters)];
  const { app, finish } = createServiceApp({
    service: def.name,
    logger,
    metrics,
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    ...(def.uploads ? { uploads: def.uploads(config) } : {}),
    ...(def.edge ? { edge: def.edge(deps, kit, bound) } : {}),
    readiness: {
      database: async () => {
        await database.pool.query('SELECT 1');
      },
      migrations: async () => {
        const { rows } = await database.pool.query<{ hash: string; created_at: string }>(
          `SELECT hash, created_at::text AS created_at FROM ${schemaName}.__migrations`,
        );
        const applied = new Set(rows.map((row) => migrationKey(row.created_at, row.hash)));
        const pending = expectedMigrations.filter((key) => !applied.has(key)).length;
        // A new version must not take traffic before its migrations ran.
        if (pending > 0) {
          throw new Error(`${pending} of ${expectedMigrations.length} migrations pending`);
        }
      },
      broker: () => {
        if (!broker.connected) throw new Error('broker not connected');
      },
      ...def.readiness?.(deps, kit),
    },
  });
  // One match per request: signed webhooks and public beacons prove their callers
  // themselves; every other route is authenticated, admitted and made idempotent first.
  app.use(
    mountRoutes(def.name, bound, [
      authenticate(verify),
      ...(def.admit ? [def.admit(deps, kit)] : []),
      idempotency(database.db, tables),
    ]),
  );
  finish();

  await consumer.start();
  await deadLetters.start();
  await relay.start();
  const boss = await startJobs({ databaseUrl: config.DATABASE_URL, schema: schemaName, logger });
  await scheduleKitJobs(boss, database, tables);
  if (def.jobs) await def.jobs(boss, deps, kit);

  const server = await listen(app, port, config.HOST);
  const address = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  const metricsServer = await serveMetrics(
    metrics,
    options.metricsPort ?? config.METRICS_PORT ?? defaultMetricsPort(def.defaultPort),
    config.HOST,
  );
  const metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}`;
  logger.info({ url, metrics_url: metricsUrl }, `${def.name} listening`);

  const closers = [
    closeServer(server),
    closeServer(metricsServer),
    async () => {
      await def.stop?.(deps);
    },
    () => consumer.stop(),
    () => deadLetters.stop(),
    () => relay.stop(),
    async () => {
      await lookup?.close();
      await memberLookup?.close();
    },
    () => boss.stop({ graceful: true, timeout: 5_000 }),
    () => broker.close(),
    () => database.close(),
    async () => {
      await telemetry?.shutdown();
    },
  ];
  const stop = options.signals
    ? onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, closers)
    : async () => {
        for (const close of closers) await close().catch(() => undefined);
      };
  return {
    kit,
    deps,
    app,
    server,
    url,
    metricsUrl,
    consumer,
    relay,
    deadLetters,
    jobs: boss,
    stop,
  };
}

/** The service's handlers behind the kit's modules': the directory replica, then customers. */
function consumerHandlers(
  service: Handlers,
  customers: CustomerModule | undefined,
  members: MemberDirectory | undefined,
): Handlers {
  const withMembers = members ? combineHandlers(members.handlers(), service) : service;
  return customers ? customers.consumerHandlers(withMembers) : withMembers;
}

export const PURGE_IDEMPOTENCY_KEYS = 'purge-idempotency-keys';

/** Housekeeping every service runs on its own pg-boss: stored idempotent responses expire. */
async function scheduleKitJobs(boss: PgBoss, database: Database, tables: KitTables): Promise<void> {
  await boss.createQueue(PURGE_IDEMPOTENCY_KEYS);
  await boss.schedule(PURGE_IDEMPOTENCY_KEYS, '17 * * * *');
  await boss.work(PURGE_IDEMPOTENCY_KEYS, async () => {
    await purgeIdempotencyKeys(database.db, tables);
  });
}

/**
 * The migrations this build expects to find applied, each named as `__migrations` records
 * it: the journal time it was created at and the hash of its SQL, so a schema migrated from
 * other files than these is not taken for an up-to-date one.
 */
function migrationsIn(folder: string): string[] {
  return readMigrationFiles({ migrationsFolder: folder }).map((m) =>
    migrationKey(String(m.folderMillis), m.hash),
  );
}

function migrationKey(createdAt: string, hash: string): string {
  return `${createdAt}:${hash}`;
}
