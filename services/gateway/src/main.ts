import type { AddressInfo } from 'node:net';
import openapi from '@crm/contracts/generated/openapi.json' with { type: 'json' };
import {
  closeServer,
  createLogger,
  createMetrics,
  verifierFrom,
  defaultMetricsPort,
  listen,
  loadConfig,
  onShutdown,
  serveMetrics,
  startTelemetry,
} from '@crm/service-kit';
import { buildApp } from './service.js';
import { closeUpstreams, createUpstreams } from './clients/upstreams.js';
import { GatewayConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig(GatewayConfig);
  const telemetry = config.OTEL_ENABLED
    ? startTelemetry({ service: 'gateway', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT })
    : undefined;
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const metrics = createMetrics('gateway');
  const verify = verifierFrom(config);
  const upstreams = createUpstreams(config, metrics);
  const app = buildApp({ config, logger, metrics, verify, upstreams, openapi });
  const server = await listen(app, config.PORT, config.HOST);
  const { port } = server.address() as AddressInfo;
  // Metrics stay off the public port: only Prometheus, inside the cluster, reaches this one.
  const metricsServer = await serveMetrics(
    metrics,
    config.METRICS_PORT ?? defaultMetricsPort(8080),
    config.HOST,
  );
  const metricsPort = (metricsServer.address() as AddressInfo).port;
  logger.info(
    { url: `http://127.0.0.1:${port}`, metrics_url: `http://127.0.0.1:${metricsPort}` },
    'gateway listening',
  );

  // Requests in flight finish before their upstream pools close.
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [
    closeServer(server),
    closeServer(metricsServer),
    () => closeUpstreams(upstreams),
    async () => {
      await telemetry?.shutdown();
    },
  ]);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
