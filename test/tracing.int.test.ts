import { randomUUID } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, waitFor } from '@crm/testing';
import { interactionsService } from '../services/interactions/src/service.js';
import { createCustomer as createProfile } from '../services/profiles/src/domain/customers/create-customer.js';
import { profilesService } from '../services/profiles/src/service.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const running: { stop: () => Promise<void> }[] = [];
let createCustomer: (tenant: string) => Promise<string>;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const p = (await startTestService(profilesService)).service;
  const i = (await startTestService(interactionsService)).service;
  running.push(p, i);
  createCustomer = async (tenant) => {
    const customer = await createProfile(
      p.deps.customers,
      { sub: 'admin-1', tenant, role: 'admin', teams: [], token: '' },
      { first_name: 'Rosalind', last_name: 'Franklin' },
    );
    return customer.id;
  };
});

afterAll(async () => {
  for (const svc of running) await svc.stop();
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

describe('trace context', () => {
  it('crosses the bus from the writing request to the consuming handler', async () => {
    const tenant = randomUUID();
    const tracer = trace.getTracer('test');
    let traceId = '';
    let customerId = '';
    await tracer.startActiveSpan('POST /crm/customers', async (span) => {
      traceId = span.spanContext().traceId;
      customerId = await createCustomer(tenant);
      span.end();
    });
    const consumerSpan = await waitFor(
      () =>
        Promise.resolve(
          exporter
            .getFinishedSpans()
            .find(
              (s) =>
                s.name === 'process crm.customer.created.v1' &&
                s.attributes['crm.tenant_id'] === tenant,
            ),
        ),
      { what: 'the consumer span of the created event' },
    );
    expect(consumerSpan.spanContext().traceId).toBe(traceId);
    expect(customerId).not.toBe('');
  });
});
