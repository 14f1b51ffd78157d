import { trace } from '@opentelemetry/api';
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON logs; every line written inside a span carries its trace and span ids. */
export function createLogger(
  service: string,
  level: string,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const ctx = span.spanContext();
      return { trace_id: ctx.traceId, span_id: ctx.spanId };
    },
    // Customer data reaches the logs through a failed query's parameters, a constraint's
    // detail or a query string; these keep the codes and names and drop the values.
    serializers: {
      err: safeError,
      error: safeError,
      reason: safeError,
      why: safeError,
      req: safeRequest,
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A request as logged: method and path, never the query string, params or body. */
export function safeRequest(req: {
  id?: unknown;
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}): Record<string, unknown> {
  const url = req.url ?? req.originalUrl ?? '';
  const query = url.indexOf('?');
  return {
    id: req.id,
    method: req.method,
    url: query === -1 ? url : url.slice(0, query),
    headers: req.headers,
    remoteAddress: req.remoteAddress,
  };
}

const FAILED_QUERY = /^Failed query: [\s\S]*$/;

/** What a database error may say in a log: its code, where, and a message cut before values. */
interface SafeDatabaseError {
  type: string;
  message: string;
  code?: string;
  constraint?: string;
  table?: string;
  schema?: string;
  column?: string;
  routine?: string;
}

/**
 * Serialises an error (or an error's message) for a log line. A query error from drizzle
 * carries the SQL and its parameters, a PostgreSQL error a `detail` such as
 * `Key (email)=(ada@example.com) already exists`: neither reaches the log.
 */
export function safeError(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return FAILED_QUERY.test(value) ? 'Failed query' : value;
  if (!(value instanceof Error) || depth > 5) return value instanceof Error ? undefined : value;
  const cause = value.cause === undefined ? {} : { cause: safeError(value.cause, depth + 1) };
  if (isDatabaseError(value)) return { ...databaseFields(value), ...cause };
  if (isQueryError(value))
    return { type: value.constructor.name, message: 'Failed query', ...cause };
  if (value.cause === undefined) return stdSerializers.err(value);
  // The standard serialiser folds the causes' messages and stacks into this one's.
  return { type: value.constructor.name, message: value.message, stack: value.stack, ...cause };
}

/** drizzle's DrizzleQueryError: the SQL text and the parameter values. */
function isQueryError(err: Error): err is Error & { query: unknown; params: unknown } {
  return 'query' in err && 'params' in err;
}

/** pg's DatabaseError: an SQLSTATE code and a severity. */
function isDatabaseError(err: Error): err is Error & Record<string, unknown> & { code: string } {
  const fields = err as Error & Record<string, unknown>;
  return typeof fields.code === 'string' && typeof fields.severity === 'string';
}

function databaseFields(
  err: Error & Record<string, unknown> & { code: string },
): SafeDatabaseError {
  const safe: SafeDatabaseError = {
    type: 'DatabaseError',
    // Values follow a colon in PostgreSQL's messages (`invalid input syntax for type uuid: "x"`).
    message: err.message.split(': ')[0] ?? 'database error',
    code: err.code,
  };
  for (const key of ['constraint', 'table', 'schema', 'column', 'routine'] as const) {
    const field = err[key];
    if (typeof field === 'string') safe[key] = field;
  }
  return safe;
}
