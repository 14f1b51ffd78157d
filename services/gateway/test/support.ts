import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BACKEND_SERVICES, type Role } from '@crm/contracts';
import { signDevToken, type RunningService } from '@crm/service-kit';
import { startTestService } from '@crm/testing';
import type { Express } from 'express';
import { gatewayService, type GatewayDeps } from '../src/service.js';
import type { Upstreams } from '../src/clients/upstreams.js';
import type { GatewayConfig } from '../src/config.js';
import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';

export const SECRET = 'gateway-test-secret-that-is-long-enough-0123456789';
export const TENANT_A = '0193a000-0000-7000-8000-00000000000a';
export const TENANT_B = '0193b000-0000-7000-8000-00000000000b';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeUpstream {
  url: string;
  port: number;
  received: Received[];
  close: () => Promise<void>;
}

export interface FakeUpstreamOptions {
  /** Listen on this port (to bring back a service that was down); 0 picks a free one. */
  port?: number;
  /** Wait this long before answering, to outlast the gateway's timeout. */
  delayMs?: number;
  status?: number;
  headers?: Record<string, string | string[]>;
  /** Answer with this body instead of echoing the request. */
  body?: string;
}

/**
 * A stand-in for a CRM service: records each request and answers 200 (or `status`) with a
 * JSON echo of what it received.
 */
export function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(record);
      const answer = () => {
        if (res.destroyed) return;
        const body =
          options.body ??
          JSON.stringify({
            method: record.method,
            url: record.url,
            headers: record.headers,
            body: record.body.toString('utf8'),
          });
        res.writeHead(options.status ?? 200, {
          'content-type': 'application/json',
          ...options.headers,
        });
        res.end(body);
      };
      if (options.delayMs === undefined) answer();
      else setTimeout(answer, options.delayMs).unref();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        received,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              done();
            });
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** A port with nothing listening on it: connecting is refused at once. */
export async function freePort(): Promise<number> {
  const probe = await startFakeUpstream();
  await probe.close();
  return probe.port;
}

/** Every upstream URL pointing at one base URL. */
export function allUpstreamsAt(url: string): Record<string, string> {
  return {
    PROFILES_URL: url,
    INTERACTIONS_URL: url,
    NOTES_TASKS_URL: url,
    COMMS_URL: url,
    SEGMENTS_URL: url,
    AUTOMATION_URL: url,
    ANALYTICS_URL: url,
  };
}

export interface TestGateway {
  app: Express;
  url: string;
  upstreams: Upstreams;
  service: RunningService<GatewayConfig, GatewayDeps>;
  close: () => Promise<void>;
}

/**
 * Where an upstream a test does not give points: a loopback port nothing listens on (1 is
 * privileged), so a test never reaches whatever runs on a service's default port.
 */
export const CLOSED_UPSTREAM = 'http://127.0.0.1:1';

/**
 * The gateway as main.ts starts it, on the run's database and broker, from an environment as
 * the process would read it. Every upstream the environment does not name is closed.
 */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const { service, stop } = await startTestService(gatewayService, {
    env: { JWT_SECRET: SECRET, ...allUpstreamsAt(CLOSED_UPSTREAM), ...env },
  });
  return {
    app: service.app,
    url: service.url,
    upstreams: service.deps.upstreams,
    service,
    close: stop,
  };
}

export interface UpstreamWorld {
  /** The fake upstream every service points at (started in `beforeAll`). */
  readonly upstream: FakeUpstream;
  /** A gateway with every upstream at `upstream` and `env` on top; closed after the file's tests. */
  gatewayWith: (env?: Record<string, string>) => Promise<TestGateway>;
}

/**
 * At the top of a test file: one fake upstream for every service, started before the file's
 * tests and closed after them together with the gateways started on it.
 */
export function useFakeUpstream(): UpstreamWorld {
  let upstream: FakeUpstream | undefined;
  const gateways: TestGateway[] = [];
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await upstream?.close();
  });
  const world: UpstreamWorld = {
    get upstream(): FakeUpstream {
      if (!upstream) throw new Error('the fake upstream starts in beforeAll');
      return upstream;
    },
    gatewayWith: async (env = {}) => {
      const gateway = await startTestGateway({ ...allUpstreamsAt(world.upstream.url), ...env });
      gateways.push(gateway);
      return gateway;
    },
  };
  return world;
}

/** The customer id in customer tokens of these tests. */
export const CUSTOMER_SUB = '0190f5a4-7b7e-7cc3-8c3a-2b1f4f0c9d11';

export function tokenFor(
  tenant: string,
  role: Role = 'admin',
  extra: {
    sub?: string;
    issuer?: string;
    audience?: string;
    secret?: string;
    expiresIn?: number;
    name?: string;
    email?: string;
    teams?: string[];
  } = {},
): Promise<string> {
  return signDevToken({
    secret: extra.secret ?? SECRET,
    tenant,
    role,
    // A customer's subject is its customer id (a UUID); a staff member's is free-form.
    sub: extra.sub ?? (role === 'customer' ? CUSTOMER_SUB : `${role}-1`),
    ...(extra.name === undefined ? {} : { name: extra.name }),
    ...(extra.email === undefined ? {} : { email: extra.email }),
    ...(extra.teams === undefined ? {} : { teams: extra.teams }),
    ...(extra.issuer === undefined ? {} : { issuer: extra.issuer }),
    ...(extra.audience === undefined ? {} : { audience: extra.audience }),
    ...(extra.expiresIn === undefined ? {} : { expiresIn: extra.expiresIn }),
  });
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** What the stand-in echoes back; parsed so the tests read typed values. */
export const Echo = z.object({
  method: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  body: z.string(),
});

export const SERVICES = BACKEND_SERVICES;

/** The app on a real port, for clients that supertest cannot imitate. */
export async function listenApp(
  app: Express,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => {
          done();
        });
        server.closeAllConnections();
      }),
  };
}
