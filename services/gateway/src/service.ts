import { BACKEND_SERVICES } from '@crm/contracts';
import { createServiceApp, type Logger, type Metrics, type TokenVerifier } from '@crm/service-kit';
import type { Express } from 'express';
import type { Upstreams } from './clients/upstreams.js';
import type { GatewayConfig } from './config.js';
import { consoleRouter } from './http/console.js';
import { corsFor } from './http/cors.js';
import { docsRouter } from './http/docs.js';
import { proxyRouter } from './http/proxy.js';
import { rateLimiter } from './http/rate-limit.js';

export interface GatewayDeps {
  config: Pick<
    GatewayConfig,
    'RATE_LIMIT_PER_MINUTE' | 'CORS_ORIGINS' | 'BODY_LIMIT' | 'UPLOAD_BODY_LIMIT' | 'CONSOLE_DIR'
  >;
  logger: Logger;
  metrics: Metrics;
  verify: TokenVerifier;
  upstreams: Upstreams;
  /** The committed OpenAPI document, served at /crm/openapi.json. */
  openapi: object;
}

export function buildApp(deps: GatewayDeps): Express {
  // An upstream that is down is reported, not fatal: the gateway still answers for the others.
  const readiness = Object.fromEntries(
    BACKEND_SERVICES.map((service) => [
      `upstream:${service}`,
      () => `breaker ${deps.upstreams[service].state}`,
    ]),
  );
  const { app, finish } = createServiceApp({
    service: 'gateway',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness,
    // Bodies are forwarded as bytes, whatever their media type (webhooks send forms).
    parseJson: false,
  });
  app.use(consoleRouter(deps.config.CONSOLE_DIR));
  if (deps.config.CORS_ORIGINS.length > 0) app.use('/crm', corsFor(deps.config.CORS_ORIGINS));
  app.use('/crm', rateLimiter(deps.config.RATE_LIMIT_PER_MINUTE, deps.verify));
  app.use(docsRouter(deps.openapi));
  app.use(
    proxyRouter({
      upstreams: deps.upstreams,
      verify: deps.verify,
      bodyLimit: deps.config.BODY_LIMIT,
      uploadLimit: deps.config.UPLOAD_BODY_LIMIT,
    }),
  );
  return finish();
}
