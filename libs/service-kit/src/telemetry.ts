import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * Starts tracing for a service. Trace context crosses the bus in the CloudEvents
 * `traceparent` attribute (written by the outbox, read by the consumer), so it survives
 * the outbox's delay between commit and publish.
 */
let running: NodeSDK | null = null;

export function startTelemetry(options: {
  service: string;
  endpoint?: string | undefined;
  exporter?: SpanExporter;
}): NodeSDK {
  // Started once per process: by the preload when there is one, else by the service.
  if (running) return running;
  const exporter =
    options.exporter ??
    new OTLPTraceExporter(options.endpoint ? { url: `${options.endpoint}/v1/traces` } : {});
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.service }),
    traceExporter: exporter,
    instrumentations: [
      new HttpInstrumentation(),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
      new AmqplibInstrumentation(),
    ],
  });
  sdk.start();
  running = sdk;
  return sdk;
}
