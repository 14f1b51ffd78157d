import { randomUUID } from 'node:crypto';
import {
  runMigrations,
  startService,
  type BaseConfig,
  type RunningService,
  type ServiceDefinition,
} from '@crm/service-kit';
import { afterAll, beforeAll } from 'vitest';
import { testDatabaseUrl, testEnv } from './env.js';
import { TestBus } from './bus.js';

export interface UseServiceOptions {
  /**
   * Environment on top of `testEnv()`: the service's own keys for this test file; a function
   * when it needs something an earlier `beforeAll` started.
   */
  env?: Record<string, string> | (() => Record<string, string>);
  /** Defaults to the definition's own migrations folder. */
  migrationsFolder?: string;
}

/**
 * Migrates the service's schema into the run's database and starts it in this process on a
 * free port, with queues of its own, once its broker is ready. The caller stops it.
 */
export async function startTestService<C extends BaseConfig, D>(
  def: ServiceDefinition<C, D>,
  options: UseServiceOptions = {},
): Promise<{ service: RunningService<C, D>; stop: () => Promise<void> }> {
  const migrationsFolder = options.migrationsFolder ?? def.migrationsFolder;
  await runMigrations({
    databaseUrl: testDatabaseUrl(),
    schema: def.schema.schemaName,
    migrationsFolder,
  });
  const service = await startService(def, {
    env: testEnv(typeof options.env === 'function' ? options.env() : options.env),
    port: 0,
    queuePrefix: `t${randomUUID().slice(0, 8)}.`,
  });
  await service.kit.broker.ready();
  return { service, stop: () => service.stop() };
}

/**
 * The value `start` resolves to in `beforeAll`, readable from the tests once it has; `stop`
 * runs in `afterAll`.
 */
function fixture<T extends object>(
  what: string,
  start: () => Promise<{ value: T; stop: () => Promise<void> }>,
): T {
  let current: { value: T; stop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    await current?.stop();
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (current === undefined) throw new Error(`${what} is used before beforeAll started it`);
      const value: unknown = Reflect.get(current.value, key);
      if (typeof value !== 'function') return value;
      return (value as (...args: unknown[]) => unknown).bind(current.value);
    },
  });
}

/**
 * The service for this test file: started in `beforeAll` (see `startTestService`), stopped in
 * `afterAll`. Call at the top of the file; read it inside tests and hooks.
 */
export function useService<C extends BaseConfig, D>(
  def: ServiceDefinition<C, D>,
  options: UseServiceOptions = {},
): RunningService<C, D> {
  return fixture(def.name, async () => {
    const { service, stop } = await startTestService(def, options);
    return { value: service, stop };
  });
}

/** A connection to the run's vhost for this test file, opened in `beforeAll`. */
export function useBus(): TestBus {
  return fixture('the test bus', async () => {
    const bus = await TestBus.open();
    return { value: bus, stop: () => bus.close() };
  });
}
