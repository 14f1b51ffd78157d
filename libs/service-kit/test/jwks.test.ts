import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.js';
import { createVerifier, type TokenVerifier } from '../src/auth.js';

const TENANT = '7d1c4b0e-2f7a-4e38-9d1e-3c2b1a0f9e8d';
let server: Server;
let verify: TokenVerifier;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let privateKey: PrivateKey;
let otherKey: PrivateKey;

/** Production verification: keys come from the identity provider's JWKS endpoint. */
beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  verify = createVerifier({
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    issuer: 'https://id.example.com',
    audience: 'crm',
  });
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

function token(key: PrivateKey, overrides: { kid?: string; iss?: string } = {}) {
  return new SignJWT({ tenant: TENANT, role: 'manager', teams: ['north'] })
    .setProtectedHeader({ alg: 'RS256', kid: overrides.kid ?? 'key-1' })
    .setSubject('user-42')
    .setIssuer(overrides.iss ?? 'https://id.example.com')
    .setAudience('crm')
    .setExpirationTime('5m')
    .sign(key);
}

describe('JWKS verification', () => {
  it('accepts a token signed by a published key and reads the CRM claims', async () => {
    const principal = await verify(await token(privateKey));
    expect(principal).toMatchObject({
      sub: 'user-42',
      tenant: TENANT,
      role: 'manager',
      teams: ['north'],
    });
  });

  it('refuses a token signed by another key, or from another issuer', async () => {
    await expect(verify(await token(otherKey))).rejects.toBeInstanceOf(AppError);
    await expect(
      verify(await token(privateKey, { iss: 'https://evil.example.com' })),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('refuses HS256 tokens, even ones signed with the public key as secret', async () => {
    const hs = await new SignJWT({ tenant: TENANT, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setSubject('x')
      .setIssuer('https://id.example.com')
      .setAudience('crm')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-secret-that-is-long-enough-for-hs256-signing'));
    await expect(verify(hs)).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
