import { randomUUID } from 'node:crypto';
import type { Role } from '@crm/contracts';
import {
  runMigrations,
  signDevToken,
  startService,
  type BaseConfig,
  type RunningService,
  type ServiceDefinition,
} from '@crm/service-kit';
import { inject } from 'vitest';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: inject('databaseUrl'),
    AMQP_URL: inject('amqpUrl'),
    JWT_SECRET: TEST_JWT_SECRET,
    OUTBOX_POLL_MS: '200',
    // A free port, never the default one another process on this machine may hold.
    METRICS_PORT: '0',
    AMQP_RETRY_BASE_MS: '20',
    AMQP_RETRY_MAX_MS: '200',
    ...extra,
  };
}

/** Migrates and starts a service in this process on a free port, with queues of its own. */
export async function startTestService<C extends BaseConfig, D>(
  def: ServiceDefinition<C, D>,
  migrationsFolder: string,
  extraEnv: Record<string, string> = {},
): Promise<RunningService<C, D>> {
  await runMigrations({
    databaseUrl: inject('databaseUrl'),
    schema: def.schema.schemaName,
    migrationsFolder,
  });
  const service = await startService(def, {
    env: testEnv(extraEnv),
    port: 0,
    queuePrefix: `t${randomUUID().slice(0, 8)}.`,
  });
  await service.kit.broker.ready();
  return service;
}

export function tokenFor(
  tenant: string,
  role: Role,
  extra: { sub?: string; teams?: string[] } = {},
): Promise<string> {
  return signDevToken({
    secret: TEST_JWT_SECRET,
    tenant,
    role,
    // A customer's subject is its customer id; a staff member's is free-form.
    sub: extra.sub ?? (role === 'customer' ? randomUUID() : `${role}-${randomUUID().slice(0, 8)}`),
    teams: extra.teams ?? [],
  });
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      last = err instanceof Error ? err : new Error(String(err));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // non-JSON answers (HTML docs) stay text
  }
  return { status: res.status, headers: res.headers, body: body as T };
}
