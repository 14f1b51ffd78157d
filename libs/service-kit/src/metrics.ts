import type { Server } from 'node:http';
import express, { type RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per service process: HTTP, outbox, consumer and breaker metrics. */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: 'outbox_published_total',
      help: 'Events the broker confirmed',
      registers: [registry],
    }),
    outboxFailed: new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Events nacked or returned by the broker (retried later)',
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'consumer_messages_total',
      help: 'Messages handled by outcome (processed, duplicate, retried, dead_lettered, ignored)',
      labelNames: ['queue', 'type', 'outcome'] as const,
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: 'consumer_handler_duration_seconds',
      help: 'Time from delivery to ack',
      labelNames: ['queue', 'type'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'circuit_breaker_state',
      help: 'Breaker state per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // The contract route a request matched (set by mountRoutes), else an Express route's.
      const matched = res.locals.route as string | undefined;
      const route = (req.route as { path?: string } | undefined)?.path;
      end({
        method: req.method,
        route: matched ?? (route ? `${req.baseUrl}${route}` : 'unmatched'),
        status: String(res.statusCode),
      });
    });
    next();
  };
}

/**
 * Where a service's metrics are served when METRICS_PORT is not set: 9464 for the gateway
 * (8080), 9465 for profiles (8081) and so on, so a whole cluster on one host never collides.
 */
export function defaultMetricsPort(defaultPort: number): number {
  return 9464 + (defaultPort - 8080);
}

/**
 * `/metrics` on a listener of its own, never on the public port: the gateway's public port
 * faces the internet, and no service's metrics are for its callers.
 */
export function serveMetrics(metrics: Metrics, port: number, host: string): Promise<Server> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Only /metrics is served here\n');
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => {
      if (err) reject(err);
      else resolve(server);
    });
  });
}
