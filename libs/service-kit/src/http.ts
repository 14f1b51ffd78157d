// Services read `req.id`, which pino-http declares; kept in the built .d.ts so that code
// compiled against dist/ sees it too.
/// <reference types="pino-http" preserve="true" />
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { errorHandler, notFoundHandler } from './errors.js';
import { safeError, safeRequest, type Logger } from './logger.js';
import { httpMetrics, type Metrics } from './metrics.js';
import { refuseNulInRequest } from './validate.js';

/** Throws when not ready; may return a short state to report (e.g. a breaker's) instead of "ok". */
export type ReadinessCheck = () => Promise<string | void> | string | void;

export interface ServiceAppOptions {
  service: string;
  logger: Logger;
  metrics: Metrics;
  /** Named checks for /readyz (database, broker, migrations, ...). */
  readiness?: Record<string, ReadinessCheck>;
  bodyLimit?: string;
  /**
   * Parse JSON bodies and refuse other media types (default true). A proxy turns it off to
   * forward the raw bytes of any body.
   */
  parseJson?: boolean;
  /** Media types some route takes as an upload: read as bytes into `req.body` (a Buffer). */
  uploads?: { types: string[]; limit: number };
  /**
   * Middleware that sees each request as it came, before bodies are parsed (the gateway's
   * CORS, rate limit and proxy); what it passes on reaches the service's own routes.
   */
  edge?: RequestHandler[];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * The Express app every service starts from: request ids, logs, metrics, JSON bodies,
 * /healthz and /readyz (metrics have their own listener: `serveMetrics`). Routes go in between; `finish()` adds the 404 and
 * the problem+json error handler last.
 */
export function createServiceApp(options: ServiceAppOptions): {
  app: Express;
  finish: () => Express;
} {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  app.get('/readyz', async (_req, res) => {
    const results: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of Object.entries(options.readiness ?? {})) {
      try {
        results[name] = (await check()) ?? 'ok';
      } catch (err) {
        ready = false;
        results[name] = err instanceof Error ? err.message : 'failed';
      }
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });

  app.use(
    pinoHttp({
      logger: options.logger,
      serializers: { err: safeError, req: safeRequest },
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    }),
  );
  app.use(httpMetrics(options.metrics));
  for (const middleware of options.edge ?? []) app.use(middleware);
  if (options.parseJson ?? true) {
    const uploadTypes = options.uploads?.types ?? [];
    app.use(requireJsonBody([...JSON_TYPES, ...uploadTypes]));
    if (options.uploads !== undefined && uploadTypes.length > 0) {
      app.use(express.raw({ type: uploadTypes, limit: options.uploads.limit }));
    }
    // The same media types requireJsonBody lets through, or a +json body would arrive unread.
    app.use(
      express.json({
        limit: options.bodyLimit ?? '256kb',
        strict: true,
        type: JSON_TYPES,
        // Signed webhooks verify the exact bytes received, not a re-serialisation.
        verify: (req, _res, buf) => {
          (req as express.Request).rawBody = buf;
        },
      }),
    );
    app.use(refuseNulInRequest);
  }

  return {
    app,
    finish: () => {
      app.use(notFoundHandler);
      app.use(errorHandler(options.logger));
      return app;
    },
  };
}

/** Bodies are JSON (or a declared upload); anything else is refused rather than ignored. */
function requireJsonBody(accepted: string[]): RequestHandler {
  return (req, _res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    if (hasBody && !req.is(accepted)) {
      next(
        Object.assign(new Error('Send the body as application/json'), {
          type: 'charset.unsupported',
        }),
      );
      return;
    }
    next();
  };
}

export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => {
      if (err) reject(err);
      else resolve(server);
    });
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  });
}
