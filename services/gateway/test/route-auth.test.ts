import { randomUUID } from 'node:crypto';
import {
  HTTP_METHODS,
  PROBLEM_CONTENT_TYPE,
  Problem,
  ROLES,
  ROUTES,
  type Role,
  type HttpMethod,
} from '@crm/contracts';
import openapi from '@crm/contracts/generated/openapi.json' with { type: 'json' };
import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  TENANT_A,
  TENANT_B,
  bearer,
  tokenFor,
  type TestGateway,
  useFakeUpstream,
} from './support.js';

/**
 * Walks the published API rather than a hand-kept list, so an operation added to the
 * contracts is held to the same rules here without anyone remembering to add it.
 */
const Parameter = z.object({
  name: z.string(),
  in: z.string(),
  schema: z
    .object({ enum: z.array(z.string()).optional() })
    .loose()
    .optional(),
});
const Operation = z
  .object({
    operationId: z.string(),
    parameters: z.array(Parameter).optional(),
    'x-auth': z.enum(['jwt', 'signature', 'tracking_key', 'none']),
    'x-service': z.string(),
  })
  .loose();
const Document = z.object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) });

interface Case {
  operationId: string;
  auth: 'jwt' | 'signature' | 'tracking_key' | 'none';
  /** `gateway` for the routes the gateway answers itself. */
  service: string;
  method: HttpMethod;
  template: string;
  path: string;
}

function isHttpMethod(key: string): key is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(key);
}

/** Concrete paths for one operation: fresh UUIDs, and every value of an enum parameter. */
function concretePaths(template: string, parameters: z.infer<typeof Parameter>[]): string[] {
  let paths = [template];
  for (const param of parameters.filter((p) => p.in === 'path')) {
    const values = param.schema?.enum ?? [randomUUID()];
    paths = paths.flatMap((path) =>
      values.map((value) => path.replace(`{${param.name}}`, encodeURIComponent(value))),
    );
  }
  return paths;
}

function casesOf(document: unknown): Case[] {
  const cases: Case[] = [];
  for (const [template, item] of Object.entries(Document.parse(document).paths)) {
    for (const [key, raw] of Object.entries(item)) {
      if (!isHttpMethod(key)) continue;
      const operation = Operation.parse(raw);
      for (const path of concretePaths(template, operation.parameters ?? [])) {
        cases.push({
          operationId: operation.operationId,
          auth: operation['x-auth'],
          service: operation['x-service'],
          method: key,
          template,
          path,
        });
      }
    }
  }
  return cases;
}

const ALL_CASES = casesOf(openapi);
const CASES = ALL_CASES.filter((c) => c.auth === 'jwt');
/** Signed webhooks and the tracking beacon carry no JWT: the owning service checks them. */
const UNSIGNED_CASES = ALL_CASES.filter((c) => c.auth !== 'jwt' && c.service !== 'gateway');

function send(app: Express, method: HttpMethod, path: string) {
  const agent = request(app);
  switch (method) {
    case 'get':
      return agent.get(path);
    case 'post':
      return agent.post(path);
    case 'put':
      return agent.put(path);
    case 'patch':
      return agent.patch(path);
    case 'delete':
      return agent.delete(path);
  }
}

const world = useFakeUpstream();
let gateway: TestGateway;
let tokenB: string;

beforeAll(async () => {
  gateway = await world.gatewayWith({ RATE_LIMIT_PER_MINUTE: '100000' });
  tokenB = await tokenFor(TENANT_B);
});

it('finds every operation of the route table in the published document', () => {
  const documented = new Set(ALL_CASES.map((c) => c.operationId));
  expect(ROUTES.map((r) => r.id).filter((id) => !documented.has(id))).toEqual([]);
  expect(ALL_CASES.length).toBeGreaterThanOrEqual(ROUTES.length);
});

/** The roles the route table gives an operation. */
function rolesOf(operationId: string): readonly Role[] {
  const route = ROUTES.find((r) => r.id === operationId);
  if (route === undefined) throw new Error(`No route ${operationId}`);
  return route.roles;
}

describe.each(CASES)('$method $path ($operationId)', ({ method, path, operationId, service }) => {
  it('refuses an anonymous caller with 401 before any service sees it', async () => {
    const before = world.upstream.received.length;
    const res = await send(gateway.app, method, path);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(res.body).code).toBe('unauthenticated');
    expect(world.upstream.received.length).toBe(before);
  });

  it('forbids a token of tenant B naming tenant A, with 403', async () => {
    const before = world.upstream.received.length;
    const res = await send(gateway.app, method, path)
      .set('Authorization', bearer(tokenB))
      .set('X-Tenant-Id', TENANT_A);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(res.body).code).toBe('forbidden');
    expect(world.upstream.received.length).toBe(before);
  });

  it("routes tenant A's own token to a service (the refusals above are not a missing route)", async () => {
    const allowed = rolesOf(operationId)[0];
    if (allowed === undefined) throw new Error(`${operationId} allows no role`);
    const before = world.upstream.received.length;
    const res = await send(gateway.app, method, path)
      .set('Authorization', bearer(await tokenFor(TENANT_A, allowed)))
      .set('X-Tenant-Id', TENANT_A);
    if (service === 'gateway') {
      // Answered here: an unknown id or an empty body, but no refusal and no hop.
      expect([200, 204, 404, 422]).toContain(res.status);
      expect(world.upstream.received.length).toBe(before);
      return;
    }
    expect(res.status).toBe(200);
    expect(world.upstream.received.at(-1)).toMatchObject({
      method: method.toUpperCase(),
      url: path,
    });
  });

  it('refuses a role the route does not declare with 403 before any service sees it', async () => {
    const refused = ROLES.filter((role) => !rolesOf(operationId).includes(role));
    for (const role of refused) {
      const before = world.upstream.received.length;
      const res = await send(gateway.app, method, path).set(
        'Authorization',
        bearer(await tokenFor(TENANT_A, role)),
      );
      expect(res.status, role).toBe(403);
      expect(Problem.parse(res.body).code).toBe('forbidden');
      expect(world.upstream.received.length).toBe(before);
    }
  });
});

describe.each(UNSIGNED_CASES)('$method $path ($operationId, $auth)', ({ method, path }) => {
  it('is passed to its service without a token, which checks the signature or key itself', async () => {
    const res = await send(gateway.app, method, path);
    expect(res.status).toBe(200);
    expect(world.upstream.received.at(-1)).toMatchObject({
      method: method.toUpperCase(),
      url: path,
    });
  });
});
