import { PROBLEM_CONTENT_TYPE, Problem } from '@crm/contracts';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '@crm/testing';
import {
  CLOSED_UPSTREAM,
  SERVICES,
  TENANT_A,
  allUpstreamsAt,
  bearer,
  startTestGateway,
  freePort,
  startFakeUpstream,
  tokenFor,
  type FakeUpstream,
  type TestGateway,
} from './support.js';
import { z } from 'zod';

const Readiness = z.object({ status: z.string(), checks: z.record(z.string(), z.string()) });

const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function gatewayWith(env: Record<string, string>): Promise<TestGateway> {
  const gateway = await startTestGateway(env);
  cleanup.push(gateway.close);
  return gateway;
}

async function upstreamWith(
  options: Parameters<typeof startFakeUpstream>[0],
): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream(options);
  cleanup.push(upstream.close);
  return upstream;
}

async function listCustomers(gateway: TestGateway) {
  return request(gateway.app)
    .get('/crm/customers')
    .set('Authorization', bearer(await tokenFor(TENANT_A)));
}

describe('an upstream that is down', () => {
  // The 10 s upstream timeout outlasts this test's 5 s: only a refused connection answering
  // at once lets it pass.
  it('answers 503 problem+json without waiting for the timeout', { timeout: 5_000 }, async () => {
    const port = await freePort();
    const gateway = await gatewayWith({
      ...allUpstreamsAt(`http://127.0.0.1:${port}`),
      UPSTREAM_TIMEOUT_MS: '10000',
    });
    const res = await listCustomers(gateway);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(res.body)).toMatchObject({ status: 503, code: 'upstream_unavailable' });
  });

  it('opens the breaker after repeated failures, then closes it when the service is back', async () => {
    const port = await freePort();
    const gateway = await gatewayWith({
      ...allUpstreamsAt(`http://127.0.0.1:${port}`),
      BREAKER_RESET_MS: '300',
    });

    let opened = false;
    for (let attempt = 0; attempt < 20 && !opened; attempt++) {
      const res = await listCustomers(gateway);
      expect(res.status).toBe(503);
      opened = res.headers['retry-after'] !== undefined;
    }
    expect(opened).toBe(true);
    expect(gateway.upstreams.profiles.state).toBe('open');

    const refused = await listCustomers(gateway);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(Problem.parse(refused.body).code).toBe('upstream_unavailable');

    const upstream = await upstreamWith({ port });
    // After BREAKER_RESET_MS one probe goes through; polled, not timed.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      await sleep(100);
      status = (await listCustomers(gateway)).status;
    }
    expect(status).toBe(200);
    expect(gateway.upstreams.profiles.state).toBe('closed');
    expect(upstream.received.length).toBeGreaterThan(0);
    expect((await listCustomers(gateway)).status).toBe(200);
  });

  it('keeps the gateway ready and reports its database, broker, migrations and each breaker in /readyz', async () => {
    const port = await freePort();
    const profiles = await upstreamWith({});
    const gateway = await gatewayWith({
      ...allUpstreamsAt(`http://127.0.0.1:${port}`),
      PROFILES_URL: profiles.url,
      BREAKER_RESET_MS: '60000',
    });
    const timeline = '/crm/customers/0193a000-0000-7000-8000-0000000000c1/timeline';
    const token = await tokenFor(TENANT_A);
    for (
      let attempt = 0;
      attempt < 20 && gateway.upstreams.interactions.state !== 'open';
      attempt++
    ) {
      await request(gateway.app).get(timeline).set('Authorization', bearer(token));
    }
    const res = await request(gateway.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(Readiness.parse(res.body)).toEqual({
      status: 'ready',
      checks: {
        database: 'ok',
        broker: 'ok',
        migrations: 'ok',
        'upstream:profiles': 'breaker closed',
        'upstream:interactions': 'breaker open',
        'upstream:notes-tasks': 'breaker closed',
        'upstream:comms': 'breaker closed',
        'upstream:segments': 'breaker closed',
        'upstream:automation': 'breaker closed',
        'upstream:analytics': 'breaker closed',
      },
    });
    // One service down leaves the others reachable.
    expect((await listCustomers(gateway)).status).toBe(200);
  });
});

describe('an upstream slower than the timeout', () => {
  it('answers 504 problem+json', async () => {
    const slow = await upstreamWith({ delayMs: 3_000 });
    const gateway = await gatewayWith({ ...allUpstreamsAt(slow.url), UPSTREAM_TIMEOUT_MS: '200' });
    const res = await listCustomers(gateway);
    expect(res.status).toBe(504);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(res.body)).toMatchObject({ status: 504, code: 'upstream_timeout' });
  });
});

describe('an upstream that answers with an error', () => {
  it('passes its problem+json back unchanged', async () => {
    const problem = JSON.stringify({
      type: 'https://docs.bookingx.crm/problems/not-found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
    });
    const upstream = await upstreamWith({
      status: 404,
      headers: { 'content-type': PROBLEM_CONTENT_TYPE },
      body: problem,
    });
    const gateway = await gatewayWith(allUpstreamsAt(upstream.url));
    const res = await listCustomers(gateway);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(res.text).toBe(problem);
  });

  it('sends every upstream a test does not name to a closed port, never to a default one', async () => {
    const profiles = await upstreamWith({});
    const gateway = await gatewayWith({ PROFILES_URL: profiles.url });
    for (const service of SERVICES) {
      expect(gateway.upstreams[service].options.baseUrl, service).toBe(
        service === 'profiles' ? profiles.url : CLOSED_UPSTREAM,
      );
    }
    const timeline = await request(gateway.app)
      .get('/crm/customers/0193a000-0000-7000-8000-0000000000c1/timeline')
      .set('Authorization', bearer(await tokenFor(TENANT_A)));
    expect(timeline.status).toBe(503);
  });
});
