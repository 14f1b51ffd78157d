import { Problem } from '@crm/contracts';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { TENANT_A, bearer, expectRefusedAtEdge, tokenFor, useGateway } from './support.js';

const PATH = '/crm/customers';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const edge = useGateway();

/** Expects the gateway to answer 401 to `authorization` itself, without calling the service. */
function expectUnauthenticated(authorization: string | undefined) {
  const req = request(edge.app).get(PATH);
  return expectRefusedAtEdge(
    authorization === undefined ? req : req.set('Authorization', authorization),
    edge.upstream,
    401,
    'unauthenticated',
  );
}

describe('authentication at the edge', () => {
  it('refuses a request without a token and says how to authenticate', async () => {
    const res = await expectUnauthenticated(undefined);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses a header that is not a bearer token', async () => {
    await expectUnauthenticated('Basic YWRtaW46YWRtaW4=');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await tokenFor(TENANT_A, 'admin', {
      secret: 'some-other-secret-that-is-also-long-enough-000',
    });
    await expectUnauthenticated(bearer(token));
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
    await expectUnauthenticated(bearer(token));
  });

  it('refuses an expired token', async () => {
    const token = await tokenFor(TENANT_A, 'admin', {
      expiresIn: Math.floor(Date.now() / 1000) - 60,
    });
    const res = await expectUnauthenticated(bearer(token));
    expect(Problem.parse(res.body).detail).toMatch(/expired/);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    await expectUnauthenticated(
      bearer(await tokenFor(TENANT_A, 'admin', { issuer: 'someone-else' })),
    );
    await expectUnauthenticated(bearer(await tokenFor(TENANT_A, 'admin', { audience: 'billing' })));
  });

  it('lets a valid token through, naming its own tenant or none', async () => {
    const token = await tokenFor(TENANT_A);
    const before = edge.upstream.received.length;
    const named = await request(edge.app)
      .get(PATH)
      .set('Authorization', bearer(token))
      .set('X-Tenant-Id', TENANT_A);
    const unnamed = await request(edge.app).get(PATH).set('Authorization', bearer(token));
    expect([named.status, unnamed.status]).toEqual([200, 200]);
    expect(edge.upstream.received.length).toBe(before + 2);
  });
});
