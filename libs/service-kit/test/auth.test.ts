import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId } from '@crm/contracts';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  createVerifier,
  principalOf,
  assertRole,
  signDevToken,
  type TokenVerifier,
} from '../src/auth.js';
import { AppError } from '../src/errors.js';
import { createServiceApp } from '../src/http.js';
import { createMetrics } from '../src/metrics.js';
import { silentLogger } from './support.js';

const SECRET = 'a-development-secret-of-more-than-32-chars';
const ISSUER = 'bookingx-crm';
const AUDIENCE = 'crm';

const hs256 = createVerifier({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { tenant: newId(), role: 'staff', teams: ['front-desk'], ...overrides };
}

async function signHs256(
  payload: Record<string, unknown>,
  options: {
    secret?: string;
    issuer?: string;
    audience?: string;
    exp?: number | string;
    sub?: string;
  } = {},
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub ?? 'user-1')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function rejection(verify: TokenVerifier, token: string): Promise<AppError> {
  try {
    await verify(token);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the token was accepted');
}

describe('HS256 verifier (development)', () => {
  it('accepts a dev token and returns the CRM claims', async () => {
    const tenant = newId();
    const token = await signDevToken({ secret: SECRET, tenant, role: 'manager', teams: ['t1'] });
    await expect(hs256(token)).resolves.toEqual({
      sub: 'manager-dev',
      tenant,
      role: 'manager',
      teams: ['t1'],
      token,
    });
  });

  it('rejects alg none', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({
      ...claims(),
      sub: 'user-1',
      iss: ISSUER,
      aud: AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 300,
    })}.`;
    const err = await rejection(hs256, unsigned);
    expect(err.code).toBe('unauthenticated');
  });

  it('rejects a bad signature', async () => {
    const token = await signHs256(claims(), { secret: 'someone-elses-secret-of-32-characters' });
    expect((await rejection(hs256, token)).code).toBe('unauthenticated');
    const [header, payload] = (await signHs256(claims())).split('.');
    const tampered = `${header ?? ''}.${payload ?? ''}.${Buffer.from('forged').toString('base64url')}`;
    expect((await rejection(hs256, tampered)).code).toBe('unauthenticated');
  });

  it('rejects an expired token and says so', async () => {
    const token = await signHs256(claims(), { exp: Math.floor(Date.now() / 1000) - 60 });
    const err = await rejection(hs256, token);
    expect(err.code).toBe('unauthenticated');
    expect(err.message).toMatch(/expired/);
  });

  it('remembers a verified token only until it expires, and never for another signature', async () => {
    const verify = createVerifier({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
    const token = await signHs256(claims(), { exp: Math.floor(Date.now() / 1000) + 2 });
    const first = await verify(token);
    expect(first.token).toBe(token);
    // A caller changing its copy does not change what the next caller gets.
    first.role = 'admin';
    expect((await verify(token)).role).toBe('staff');
    const [header, payload] = token.split('.');
    const forged = `${header ?? ''}.${payload ?? ''}.${Buffer.from('forged').toString('base64url')}`;
    expect((await rejection(verify, forged)).code).toBe('unauthenticated');
    await new Promise((r) => setTimeout(r, 2_100));
    const err = await rejection(verify, token);
    expect(err.code).toBe('unauthenticated');
  });

  it('rejects a wrong audience or issuer', async () => {
    expect((await rejection(hs256, await signHs256(claims(), { audience: 'billing' }))).code).toBe(
      'unauthenticated',
    );
    expect((await rejection(hs256, await signHs256(claims(), { issuer: 'evil' }))).code).toBe(
      'unauthenticated',
    );
  });

  it('rejects a token without a tenant, with an unknown role, or without expiry', async () => {
    const noTenant = await signHs256({ role: 'admin' });
    expect((await rejection(hs256, noTenant)).message).toMatch(/tenant/);
    const badTenant = await signHs256(claims({ tenant: 'acme' }));
    expect((await rejection(hs256, badTenant)).code).toBe('unauthenticated');
    const badRole = await signHs256(claims({ role: 'root' }));
    expect((await rejection(hs256, badRole)).code).toBe('unauthenticated');
    const noExp = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(new TextEncoder().encode(SECRET));
    expect((await rejection(hs256, noExp)).code).toBe('unauthenticated');
  });

  it('takes a customer only by a UUID subject, a staff member by any bounded one', async () => {
    const customerId = newId();
    const customer = await hs256(
      await signHs256(claims({ role: 'customer' }), { sub: customerId }),
    );
    expect(customer).toMatchObject({ role: 'customer', sub: customerId });
    for (const sub of ['someone', 'customer-1', `${customerId}x`]) {
      const token = await signHs256(claims({ role: 'customer' }), { sub });
      const refused = await rejection(hs256, token);
      expect(refused.code).toBe('unauthenticated');
      expect(refused.message).toMatch(/subject/);
    }
    const staff = await hs256(await signHs256(claims({ role: 'staff' }), { sub: 'auth0|staff-7' }));
    expect(staff.sub).toBe('auth0|staff-7');
    const emptySub = await signHs256(claims(), { sub: '' });
    expect((await rejection(hs256, emptySub)).code).toBe('unauthenticated');
    const longSub = await signHs256(claims(), { sub: 'x'.repeat(256) });
    expect((await rejection(hs256, longSub)).code).toBe('unauthenticated');
  });

  it('rejects garbage', async () => {
    expect((await rejection(hs256, 'not.a.jwt')).code).toBe('unauthenticated');
  });
});

describe('JWKS verifier (production)', () => {
  let server: Server;
  let jwks: TokenVerifier;
  let privateKey: CryptoKey;
  let strangerKey: CryptoKey;
  const kid = 'key-1';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    jwks = createVerifier({
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      issuer: 'https://id.example.com',
      audience: AUDIENCE,
      algorithms: ['RS256'],
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });

  function rs256(key: CryptoKey, payload = claims()): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('user-1')
      .setIssuer('https://id.example.com')
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(key);
  }

  it('accepts a token signed by a key of the set', async () => {
    const tenant = newId();
    await expect(jwks(await rs256(privateKey, claims({ tenant })))).resolves.toMatchObject({
      tenant,
      role: 'staff',
    });
  });

  it('rejects a token signed by another key under the same kid', async () => {
    expect((await rejection(jwks, await rs256(strangerKey))).code).toBe('unauthenticated');
  });

  it('rejects algorithms off the allow-list, HS256 and none included', async () => {
    const hs = await signHs256(claims(), { issuer: 'https://id.example.com' });
    expect((await rejection(jwks, hs)).code).toBe('unauthenticated');
    const none = `${b64url({ alg: 'none', kid })}.${b64url({
      ...claims(),
      sub: 'user-1',
      iss: 'https://id.example.com',
      aud: AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 300,
    })}.`;
    expect((await rejection(jwks, none)).code).toBe('unauthenticated');
  });
});

describe('authenticate and assertRole', () => {
  const app = (() => {
    const made = createServiceApp({
      service: 'kit-auth',
      logger: silentLogger,
      metrics: createMetrics('kit-auth'),
    });
    made.app.use('/crm', authenticate(hs256));
    made.app.get('/crm/whoami', (req, res) => {
      const p = principalOf(req);
      res.json({ tenant: p.tenant, role: p.role });
    });
    made.app.get('/crm/admin-only', (req, res) => {
      assertRole(principalOf(req), ['admin']);
      res.json({ ok: true });
    });
    return made.finish();
  })();

  it('needs a bearer token: none, another scheme or an invalid one is 401 with a challenge', async () => {
    for (const header of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-token']) {
      const req = request(app).get('/crm/whoami');
      const res = await (header ? req.set('authorization', header) : req).expect(401);
      expect(res.body).toMatchObject({ code: 'unauthenticated' });
    }
    const res = await request(app).get('/crm/whoami').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="crm"');
  });

  it('refuses a tenant header that is not the token’s tenant', async () => {
    const tenant = newId();
    const token = await signDevToken({ secret: SECRET, tenant, role: 'staff' });
    await request(app)
      .get('/crm/whoami')
      .set('authorization', `Bearer ${token}`)
      .set('x-tenant-id', newId())
      .expect(403);
    const ok = await request(app)
      .get('/crm/whoami')
      .set('authorization', `Bearer ${token}`)
      .set('x-tenant-id', tenant)
      .expect(200);
    expect(ok.body).toEqual({ tenant, role: 'staff' });
  });

  it('lets only the named roles through', async () => {
    const tenant = newId();
    const staff = await signDevToken({ secret: SECRET, tenant, role: 'staff' });
    const admin = await signDevToken({ secret: SECRET, tenant, role: 'admin' });
    await request(app).get('/crm/admin-only').set('authorization', `Bearer ${staff}`).expect(403);
    await request(app).get('/crm/admin-only').set('authorization', `Bearer ${admin}`).expect(200);
  });
});
