import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROBLEM_CONTENT_TYPE, Problem } from '@crm/contracts';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@crm/service-kit';
import { GatewayConfig } from '../src/config.js';
import { DEFAULT_CONSOLE_DIR } from '../src/http/console.js';
import { TENANT_A, bearer, tokenFor, useFakeUpstream } from './support.js';

const INDEX =
  '<!doctype html><title>console</title><script type="module" src="/crm/app/assets/index-Ab12Cd34.js"></script>';
const SCRIPT = 'console.log("console");';

/** A console as Vite builds it: index.html, hashed assets and a file from public/. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crm-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd34.js'), SCRIPT);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

const built = fakeBuild();
const missing = join(built, 'not-built-yet');
afterAll(() => {
  rmSync(built, { recursive: true, force: true });
});

const world = useFakeUpstream();

function expectStrictPolicy(headers: Record<string, string | undefined>): void {
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(headers['x-content-type-options']).toBe('nosniff');
}

describe('the console at /crm/app/', () => {
  it('serves index.html revalidated on every load, under a strict Content-Security-Policy', async () => {
    const gateway = await world.gatewayWith({ CONSOLE_DIR: built });
    const res = await request(gateway.app).get('/crm/app/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    expectStrictPolicy(res.headers);
  });

  it('caches hashed assets for a year as immutable', async () => {
    const gateway = await world.gatewayWith({ CONSOLE_DIR: built });
    const res = await request(gateway.app).get('/crm/app/assets/index-Ab12Cd34.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.text).toBe(SCRIPT);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectStrictPolicy(res.headers);
  });

  it('revalidates files that keep their name between builds', async () => {
    const gateway = await world.gatewayWith({ CONSOLE_DIR: built });
    const res = await request(gateway.app).get('/crm/app/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers deep links with index.html, so a reload on a page of the app works', async () => {
    const gateway = await world.gatewayWith({ CONSOLE_DIR: built });
    for (const path of [
      '/crm/app/customers',
      '/crm/app/customers/0193a000-0000-7000-8000-00000000000a',
    ]) {
      const res = await request(gateway.app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.text).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
      expectStrictPolicy(res.headers);
    }
    const head = await request(gateway.app).head('/crm/app/customers');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(INDEX));
  });

  it('redirects /crm/app to /crm/app/ so relative asset paths resolve', async () => {
    const gateway = await world.gatewayWith({ CONSOLE_DIR: built });
    const res = await request(gateway.app).get('/crm/app');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/crm/app/');
  });

  it('answers a missing asset or file with 404 problem+json, never with the page', async () => {
    const gateway = await world.gatewayWith({ CONSOLE_DIR: built });
    for (const path of [
      '/crm/app/assets/index-gone.js',
      '/crm/app/assets/later',
      '/crm/app/robots.txt',
    ]) {
      const res = await request(gateway.app).get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
      expect(Problem.parse(res.body).code).toBe('not_found');
    }
  });

  it('does not serve files outside its folder', async () => {
    const gateway = await world.gatewayWith({ CONSOLE_DIR: join(built, 'assets') });
    const res = await request(gateway.app).get('/crm/app/..%2Findex.html');
    expect(res.status).not.toBe(200);
    expect(res.text).not.toBe(INDEX);
  });

  it('says the console is not built when its folder is empty, and still routes the API', async () => {
    const gateway = await world.gatewayWith({ CONSOLE_DIR: missing });
    const page = await request(gateway.app).get('/crm/app/customers');
    expect(page.status).toBe(404);
    expect(Problem.parse(page.body).detail).toContain('not built');

    const token = await tokenFor(TENANT_A, 'admin');
    const api = await request(gateway.app)
      .get('/crm/customers')
      .set('Authorization', bearer(token));
    expect(api.status).toBe(200);
    expect(api.headers['content-security-policy']).toBeUndefined();
  });

  it('defaults to the console built in the repository', () => {
    const config = loadConfig(GatewayConfig, { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40) });
    expect(config.CONSOLE_DIR).toBe(DEFAULT_CONSOLE_DIR);
    expect(DEFAULT_CONSOLE_DIR.replaceAll('\\', '/')).toMatch(/\/apps\/console\/dist$/);
    expect(DEFAULT_CONSOLE_DIR).not.toContain('services');
  });
});
