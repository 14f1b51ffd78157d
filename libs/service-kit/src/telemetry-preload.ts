/**
 * `node --import @crm/service-kit/telemetry dist/main.js`: with OTEL_ENABLED, tracing
 * starts before the service's modules load, so http, express, pg and amqplib are
 * instrumented under ES modules (hooks cannot patch modules already imported).
 */
import { register } from 'import-in-the-middle/register-hooks.mjs';
import { z } from 'zod';
import { BaseConfig, loadConfig } from './config.js';
import { startTelemetry } from './telemetry.js';

const config = loadConfig(
  BaseConfig.pick({ OTEL_ENABLED: true, OTEL_EXPORTER_OTLP_ENDPOINT: true }).extend({
    OTEL_SERVICE_NAME: z.string().min(1).default('crm').describe('service.name of the spans'),
  }),
);

if (config.OTEL_ENABLED) {
  // In-thread loader hooks (Node 24.11.1+): the instrumentations' hooks apply to every
  // module imported after this one.
  register({});
  startTelemetry({
    service: config.OTEL_SERVICE_NAME,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
}
