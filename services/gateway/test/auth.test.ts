import { PROBLEM_CONTENT_TYPE, Problem } from '@crm/contracts';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TENANT_A,
  TENANT_B,
  bearer,
  tokenFor,
  type TestGateway,
  useFakeUpstream,
} from './support.js';

const PATH = '/crm/customers';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const world = useFakeUpstream();
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await world.gatewayWith();
});

async function expectRefused(
  authorization: string | undefined,
  status: number,
  code: string,
  headers: Record<string, string> = {},
) {
  const before = world.upstream.received.length;
  const req = request(gateway.app).get(PATH).set(headers);
  const res = await (authorization === undefined ? req : req.set('Authorization', authorization));
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
  expect(Problem.parse(res.body)).toMatchObject({ status, code });
  expect(world.upstream.received.length).toBe(before);
  return res;
}

describe('authentication at the edge', () => {
  it('refuses a request without a token and says how to authenticate', async () => {
    const res = await expectRefused(undefined, 401, 'unauthenticated');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses a header that is not a bearer token', async () => {
    await expectRefused('Basic YWRtaW46YWRtaW4=', 401, 'unauthenticated');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await tokenFor(TENANT_A, 'admin', {
      secret: 'some-other-secret-that-is-also-long-enough-000',
    });
    await expectRefused(bearer(token), 401, 'unauthenticated');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
      sub: 'admin-1',
      tenant: TENANT_A,
      role: 'admin',
      teams: [],
      iss: 'bookingx-crm',
      aud: 'crm',
      iat: now,
      exp: now + 3600,
    })}.`;
    await expectRefused(bearer(token), 401, 'unauthenticated');
  });

  it('refuses an expired token', async () => {
    const token = await tokenFor(TENANT_A, 'admin', {
      expiresIn: Math.floor(Date.now() / 1000) - 60,
    });
    const res = await expectRefused(bearer(token), 401, 'unauthenticated');
    expect(Problem.parse(res.body).detail).toMatch(/expired/);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    await expectRefused(
      bearer(await tokenFor(TENANT_A, 'admin', { issuer: 'someone-else' })),
      401,
      'unauthenticated',
    );
    await expectRefused(
      bearer(await tokenFor(TENANT_A, 'admin', { audience: 'billing' })),
      401,
      'unauthenticated',
    );
  });

  it('forbids a token used for another tenant than its own', async () => {
    await expectRefused(bearer(await tokenFor(TENANT_B)), 403, 'forbidden', {
      'X-Tenant-Id': TENANT_A,
    });
  });

  it('lets a valid token through, naming its own tenant or none', async () => {
    const token = await tokenFor(TENANT_A);
    const before = world.upstream.received.length;
    const named = await request(gateway.app)
      .get(PATH)
      .set('Authorization', bearer(token))
      .set('X-Tenant-Id', TENANT_A);
    const unnamed = await request(gateway.app).get(PATH).set('Authorization', bearer(token));
    expect([named.status, unnamed.status]).toEqual([200, 200]);
    expect(world.upstream.received.length).toBe(before + 2);
  });
});
