import { randomUUID } from 'node:crypto';
import { BACKEND_SERVICES, type Customer } from '@crm/contracts';
import openapi from '@crm/contracts/generated/openapi.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, tokenFor } from '@crm/testing';
import { startCluster } from './cluster.js';

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
  auth: string;
}

/** Every operation of the committed document: a route added later is walked too. */
function operations(): Operation[] {
  const ops: Operation[] = [];
  const paths = openapi.paths as Record<
    string,
    Record<string, { requestBody?: unknown; 'x-auth'?: string }>
  >;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      // Open by design, and only in development: the demo sign-in (its own tests cover it).
      if (op['x-auth'] === 'none') continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        hasBody: op.requestBody !== undefined,
        auth: op['x-auth'] ?? 'jwt',
      });
    }
  }
  return ops;
}

let cluster: Awaited<ReturnType<typeof startCluster>>;
const tenantA = randomUUID();
let customerA: Customer;

beforeAll(async () => {
  cluster = await startCluster();
  const created = await api(cluster.gatewayUrl)
    .as(await tokenFor(tenantA, 'admin'))
    .post<Customer>('/crm/customers', {
      first_name: 'Tenant',
      last_name: 'Alpha',
      email: 'alpha@example.com',
    });
  expect(created.status).toBe(201);
  customerA = created.body;
});

afterAll(async () => {
  await cluster.stop();
});

function concrete(path: string, service: string): string {
  return path
    .replaceAll('{id}', customerA.id)
    .replaceAll('{service}', service)
    .replace(/\{[^}]+\}/g, randomUUID());
}

describe('every documented route against the real services', () => {
  const ops = operations();

  it('walks a non-trivial document', () => {
    expect(ops.length).toBeGreaterThanOrEqual(7);
  });

  it.each(ops.map((o) => [`${o.method} ${o.path}`, o] as const))(
    '%s refuses anonymous callers and shows nothing of another tenant',
    async (_name, op) => {
      const services = op.path.includes('{service}') ? BACKEND_SERVICES : ['-'];
      for (const service of services) {
        const path = concrete(op.path, service);
        // A beacon body that is well formed but names no tenant's key.
        const body =
          op.auth === 'tracking_key'
            ? { key: 'tk_nobody-knows-this', visitor_id: 'visitor-0001', url: 'https://x.example/' }
            : op.hasBody
              ? { first_name: 'Eve' }
              : undefined;
        const anonymous = await api(cluster.gatewayUrl).request(op.method, path, { body });
        expect(anonymous.status, `${op.method} ${path} anonymous`).toBe(401);
        expect(anonymous.headers.get('content-type')).toContain('application/problem+json');

        const stranger = await api(cluster.gatewayUrl)
          .as(await tokenFor(randomUUID(), 'admin'))
          .request(op.method, path, { body });
        // Either refused, or an answer that holds nothing of tenant A.
        if (stranger.status < 400) {
          const text = JSON.stringify(stranger.body);
          expect(text, `${op.method} ${path}`).not.toContain(customerA.id);
          expect(text, `${op.method} ${path}`).not.toContain(tenantA);
        } else {
          expect([401, 403, 404, 409, 422, 503], `${op.method} ${path}`).toContain(stranger.status);
          // Only routes that take no JWT may answer a valid JWT with 401.
          if (stranger.status === 401) expect(op.auth).not.toBe('jwt');
        }
      }
    },
  );

  it('a stranger cannot change tenant A’s customer', async () => {
    const stranger = await tokenFor(randomUUID(), 'admin');
    const patch = await api(cluster.gatewayUrl)
      .as(stranger)
      .patch(`/crm/customers/${customerA.id}`, { vip_status: true });
    expect(patch.status).toBe(404);
    const still = await api(cluster.gatewayUrl)
      .as(await tokenFor(tenantA, 'admin'))
      .get<Customer>(`/crm/customers/${customerA.id}`);
    expect(still.body.vip_status).toBe(false);
  });
});
