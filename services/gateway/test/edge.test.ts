import { PROBLEM_CONTENT_TYPE, Problem } from '@crm/contracts';
import openapi from '@crm/contracts/generated/openapi.json' with { type: 'json' };
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { TENANT_A, TENANT_B, bearer, tokenFor, useFakeUpstream } from './support.js';

const ALLOWED = 'https://app.example.com';

const world = useFakeUpstream();
const { gatewayWith } = world;

describe('rate limiting', () => {
  it('answers 429 problem+json with Retry-After once a caller spends its budget', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_PER_MINUTE: '3' });
    const token = await tokenFor(TENANT_A, 'admin', { sub: 'busy-user' });
    for (let i = 0; i < 3; i++) {
      const res = await request(gateway.app)
        .get('/crm/customers')
        .set('Authorization', bearer(token));
      expect(res.status).toBe(200);
      expect(res.headers.ratelimit).toMatch(/r=\d+/);
      expect(res.headers['ratelimit-policy']).toMatch(/q=3; w=60/);
    }
    const before = world.upstream.received.length;
    const limited = await request(gateway.app)
      .get('/crm/customers')
      .set('Authorization', bearer(token));
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(limited.body).code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers.ratelimit).toMatch(/r=0/);
    expect(world.upstream.received.length).toBe(before);

    // The budget is per person: another user, or the same subject in another tenant, still has theirs.
    const colleague = await tokenFor(TENANT_A, 'admin', { sub: 'other-user' });
    const elsewhere = await tokenFor(TENANT_B, 'admin', { sub: 'busy-user' });
    for (const other of [colleague, elsewhere]) {
      const res = await request(gateway.app)
        .get('/crm/customers')
        .set('Authorization', bearer(other));
      expect(res.status).toBe(200);
    }
  });

  it('counts requests without a valid token by address, failed ones included', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_PER_MINUTE: '2' });
    const statuses: number[] = [];
    for (const authorization of ['', 'Bearer forged.token.here', '']) {
      const req = request(gateway.app).get('/crm/customers');
      statuses.push((await (authorization ? req.set('Authorization', authorization) : req)).status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    // A signed-in caller from the same address has a budget of its own.
    const token = await tokenFor(TENANT_A);
    const res = await request(gateway.app)
      .get('/crm/customers')
      .set('Authorization', bearer(token));
    expect(res.status).toBe(200);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    const gateway = await gatewayWith({ CORS_ORIGINS: `${ALLOWED},http://localhost:5173` });
    const res = await request(gateway.app)
      .options('/crm/customers')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'PATCH')
      .set('Access-Control-Request-Headers', 'authorization, content-type, if-match');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-methods']).toContain('PATCH');
    expect(res.headers['access-control-allow-headers']).toBe(
      'authorization, content-type, if-match',
    );
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets a script of an allowed origin read ETag, Location, the request id and limits', async () => {
    const gateway = await gatewayWith({ CORS_ORIGINS: ALLOWED });
    const res = await request(gateway.app)
      .get('/crm/customers')
      .set('Origin', ALLOWED)
      .set('Authorization', bearer(await tokenFor(TENANT_A)));
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    const exposed = String(res.headers['access-control-expose-headers']).split(',');
    expect(exposed).toEqual(
      expect.arrayContaining(['ETag', 'Location', 'X-Request-Id', 'RateLimit']),
    );
  });

  it('grants nothing to another origin', async () => {
    const gateway = await gatewayWith({ CORS_ORIGINS: ALLOWED });
    const preflight = await request(gateway.app)
      .options('/crm/customers')
      .set('Origin', 'https://evil.example.net')
      .set('Access-Control-Request-Method', 'GET');
    expect(preflight.status).toBe(403);
    expect(Problem.parse(preflight.body).code).toBe('forbidden');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    const simple = await request(gateway.app)
      .get('/crm/openapi.json')
      .set('Origin', 'https://evil.example.net');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is off when no origins are configured', async () => {
    const gateway = await gatewayWith({});
    const res = await request(gateway.app)
      .options('/crm/customers')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('API docs', () => {
  it('serves the committed OpenAPI document without a token', async () => {
    const gateway = await gatewayWith({});
    const res = await request(gateway.app).get('/crm/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body).toEqual(openapi);
  });

  it('serves the reference page and its assets without a token', async () => {
    const gateway = await gatewayWith({});
    const redirect = await request(gateway.app).get('/crm/docs');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/crm/docs/');
    const page = await request(gateway.app).get('/crm/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('swagger-ui');
    const init = await request(gateway.app).get('/crm/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('/crm/openapi.json');
    const bundle = await request(gateway.app).get('/crm/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
  });
});
