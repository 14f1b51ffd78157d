import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Keys every service reads; a service extends this with its own. */
export const BaseConfig = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  HOST: z.string().default('0.0.0.0').describe('Interface the HTTP server binds to'),
  DATABASE_URL: z
    .url()
    .default('postgres://postgres@127.0.0.1:5432/crm')
    .describe('PostgreSQL connection string; the service uses only its own schema'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional()
    .describe('Role to SET on each connection when the login role is shared (development)'),
  AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672').describe('RabbitMQ URL'),
  AMQP_PREFETCH: z.coerce.number().int().min(1).max(1000).default(200),
  AMQP_DELIVERY_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(8)
    .describe('Deliveries of one message before it is dead-lettered'),
  AMQP_RETRY_BASE_MS: z.coerce.number().int().min(0).default(200),
  AMQP_RETRY_MAX_MS: z.coerce.number().int().min(0).default(10_000),
  CONSUMER_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .describe('Most events a consumer handles in one transaction; 1 turns batching off'),
  CONSUMER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(4)
    .describe('Consumer transactions running at once; keep it below DATABASE_POOL_MAX'),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(1000),
  JWT_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe('HS256 secret (development); production sets JWT_JWKS_URL instead'),
  JWT_JWKS_URL: z.url().optional().describe('JWKS endpoint of the identity provider'),
  JWT_ISSUER: z.string().default('bookingx-crm'),
  JWT_AUDIENCE: z.string().default('crm'),
  JWT_ALGORITHMS: z
    .string()
    .default('RS256,ES256,EdDSA')
    .describe('Comma-separated allow-list for JWKS-verified tokens'),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe(
      'Port of the Prometheus /metrics listener, apart from the public port; default 9464 for the gateway, 9465–9471 for profiles … analytics',
    ),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  OTEL_ENABLED: bool.default(false),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});
export type BaseConfig = z.infer<typeof BaseConfig>;

/** Validates the environment once, at start-up; every problem is named in one readable error. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      return `  - ${key}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data as z.infer<S> & Partial<BaseConfig>;
  if (config.NODE_ENV === 'production' && !config.JWT_JWKS_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  - JWT_JWKS_URL: required in production (HS256 secrets are for development)',
    );
  }
  if (
    config.NODE_ENV === 'production' &&
    'GATEWAY_URL' in schema.shape &&
    !(config as { GATEWAY_URL?: string }).GATEWAY_URL
  ) {
    throw new ConfigError(
      'Invalid configuration:\n  - GATEWAY_URL: required in production (assignments are checked against the staff directory)',
    );
  }
  if (!config.JWT_JWKS_URL && !config.JWT_SECRET && 'JWT_SECRET' in schema.shape) {
    throw new ConfigError(
      'Invalid configuration:\n  - JWT_SECRET: set JWT_SECRET (development) or JWT_JWKS_URL (production)',
    );
  }
  return config;
}
