import { inject } from 'vitest';

/** The secret every service under test verifies tokens with (HS256, development mode). */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** The per-run database, created by the global setup. */
export function testDatabaseUrl(): string {
  return inject('databaseUrl');
}

/** The per-run RabbitMQ vhost, created by the global setup. */
export function testAmqpUrl(): string {
  return inject('amqpUrl');
}

/** The environment a service under test reads: the run's database and vhost, quick retries. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: testDatabaseUrl(),
    AMQP_URL: testAmqpUrl(),
    JWT_SECRET: TEST_JWT_SECRET,
    OUTBOX_POLL_MS: '200',
    // A free port, never the default one another process on this machine may hold.
    METRICS_PORT: '0',
    AMQP_RETRY_BASE_MS: '20',
    AMQP_RETRY_MAX_MS: '200',
    ...extra,
  };
}
