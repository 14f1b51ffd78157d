import { afterEach, describe, expect, it } from 'vitest';
import { IngestError, IngestSink } from '../src/ingest.js';
import { deriveTenantIds, generate, type SimulatedEvent } from '../src/index.js';
import { run } from '../src/run.js';
import { closedPort } from './support.js';
import { ingestStandIn } from './standin.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const SECRET = 'ingest-secret-for-tests';
const TENANTS = deriveTenantIds(21, 3);
const OPTIONS = { seed: 21, tenants: TENANTS, customers: [260, 90, 30], months: 6, now: NOW };

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function sendAll(sink: IngestSink, events: readonly SimulatedEvent[]): Promise<void> {
  for (const e of events) {
    const wait = sink.send(e);
    if (wait) await wait;
  }
  await sink.flush();
}

describe('delivery over the signed HTTP ingest', () => {
  it('posts signed batches of at most 500 events, one tenant each, every event once', async () => {
    const server = await ingestStandIn(SECRET);
    servers.push(server);
    const expected = generate(OPTIONS);
    expect(expected.length).toBeGreaterThan(1500);

    const result = await run({
      ...OPTIONS,
      destination: { via: 'http', url: server.url, secret: SECRET },
    });

    expect(result.status).toBe('done');
    expect(result.delivered).toBe(expected.length);
    expect(result.ingest).toEqual({
      accepted: expected.length,
      duplicates: 0,
      requests: server.batches.length,
    });
    for (const b of server.batches) {
      expect(b.signatureValid).toBe(true);
      expect(b.contentType).toBe('application/json');
      expect(b.keys).toEqual(['events']);
      expect(b.events.length).toBeGreaterThan(0);
      expect(b.events.length).toBeLessThanOrEqual(500);
      expect(new Set(b.events.map((e) => e.tenantid))).toEqual(new Set([b.tenant]));
    }
    expect(server.batches.some((b) => b.events.length === 500)).toBe(true);
    expect([...server.ids()].sort()).toEqual(expected.map((e) => e.id).sort());
    // Within a tenant, events arrive in the order of the stream.
    for (const tenant of TENANTS) {
      expect(
        server.batches.filter((b) => b.tenant === tenant).flatMap((b) => b.events.map((e) => e.id)),
      ).toEqual(expected.filter((e) => e.tenantid === tenant).map((e) => e.id));
    }
  });

  it('retries a 503 with back-off, then goes on', async () => {
    const server = await ingestStandIn(SECRET, (n) =>
      n === 2 ? { status: 503, body: { title: 'Service Unavailable' } } : undefined,
    );
    servers.push(server);
    const events = generate({ ...OPTIONS, tenants: TENANTS.slice(0, 1), customers: 60 });
    const retries: string[] = [];
    const confirmed: string[] = [];
    const sink = new IngestSink({
      url: server.url,
      secret: SECRET,
      batchSize: 100,
      retryDelayMs: 10,
      onRetry: (r) => retries.push(`${r.attempt}/${r.of} ${r.reason}`),
      onConfirmed: (batch) => confirmed.push(...batch.map((e) => e.id)),
    });

    await sendAll(sink, events);

    expect(retries).toEqual(['2/9 503 Service Unavailable — Service Unavailable']);
    expect(server.requests).toBe(server.batches.length + 1);
    expect(server.ids()).toEqual(events.map((e) => e.id));
    expect(confirmed).toEqual(events.map((e) => e.id));
  });

  it('stops at once on a 4xx, saying what the endpoint said', async () => {
    const server = await ingestStandIn(SECRET, () => ({
      status: 401,
      body: { title: 'Unauthorized', detail: 'The signature does not match' },
    }));
    servers.push(server);
    const sink = new IngestSink({ url: server.url, secret: 'wrong', retryDelayMs: 1 });
    const events = generate({ ...OPTIONS, tenants: TENANTS.slice(0, 1), customers: 5 });

    const error: unknown = await sendAll(sink, events).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(IngestError);
    expect(String(error)).toContain(
      `refused a batch of ${events.length} events for tenant ${TENANTS[0] ?? ''}: 401 Unauthorized — Unauthorized: The signature does not match`,
    );
    expect(server.requests).toBe(1);
  });

  it('halves the batch when the endpoint finds it too large', async () => {
    const server = await ingestStandIn(SECRET, (_, batch) =>
      batch.events.length > 120 ? { status: 413, body: { title: 'Payload Too Large' } } : undefined,
    );
    servers.push(server);
    const events = generate({ ...OPTIONS, tenants: TENANTS.slice(0, 1), customers: 60 });
    await sendAll(new IngestSink({ url: server.url, secret: SECRET, batchSize: 500 }), events);
    expect(Math.max(...server.batches.map((b) => b.events.length))).toBeLessThanOrEqual(120);
    expect(server.ids()).toEqual(events.map((e) => e.id));
  });

  it('gives up after its retries when nothing answers', async () => {
    const port = await closedPort();
    const sink = new IngestSink({
      url: `http://127.0.0.1:${port}/crm/ingest/bookingx`,
      secret: SECRET,
      retries: 2,
      retryDelayMs: 1,
    });
    const events = generate({ ...OPTIONS, tenants: TENANTS.slice(0, 1), customers: 3 });
    const error: unknown = await sendAll(sink, events).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(IngestError);
    expect(String(error)).toMatch(/did not take a batch .* after 3 attempts: .*ECONNREFUSED/);
  });
});
