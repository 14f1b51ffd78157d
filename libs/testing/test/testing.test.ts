import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bookingxCustomerId,
  EVENT_CATALOG,
  EnvelopeBase,
  type EventType,
  type Problem,
} from '@crm/contracts';
import { createVerifier } from '@crm/service-kit';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  api,
  buildCustomer,
  buildEvent,
  createCustomer,
  newTenant,
  TEST_JWT_SECRET,
  tokenFor,
  waitFor,
} from '../src/index.js';

describe('buildEvent', () => {
  it('builds a valid envelope and payload for every type in the catalog', () => {
    for (const type of Object.keys(EVENT_CATALOG) as EventType[]) {
      const event = buildEvent(type);
      expect(EnvelopeBase.safeParse(event).success, type).toBe(true);
      expect(EVENT_CATALOG[type].safeParse(event.data).success, type).toBe(true);
      expect(event.type).toBe(type);
    }
  });

  it('merges overrides into the default payload, types data from the catalog, and names the subject', () => {
    const tenantId = newTenant();
    const event = buildEvent('bookingx.booking.completed.v1', {
      tenantId,
      sequence: 3,
      time: new Date('2026-05-14T11:00:00Z'),
      data: { booking: { customer: { bookingx_id: '42' }, revision: 3 } },
    });
    expectTypeOf(event.data.booking.status).toEqualTypeOf<
      'pending' | 'confirmed' | 'completed' | 'cancelled' | 'no_show'
    >();
    expect(event.data.booking.customer).toEqual({
      bookingx_id: '42',
      first_name: 'Linus',
      last_name: 'Pauling',
    });
    expect(event.data.booking.status).toBe('completed');
    expect(event.data.booking.revision).toBe(3);
    expect(event).toMatchObject({
      tenantid: tenantId,
      sequence: '3',
      time: '2026-05-14T11:00:00.000Z',
      source: 'bookingx/test',
      subject: bookingxCustomerId(tenantId, '42'),
    });

    const customerId = newTenant();
    const note = buildEvent('crm.note.created.v1', { data: { note: { customer_id: customerId } } });
    expect(note.subject).toBe(customerId);
    expect(note.source).toBe('crm/notes-tasks');
    const created = buildEvent('crm.customer.created.v1', { tenantId });
    expect(created.data.customer.tenant_id).toBe(tenantId);
    expect(created.sequence).toBe('1');
  });

  it('refuses overrides the catalog does not allow', () => {
    expect(() =>
      buildEvent('crm.customer.merged.v1', { data: { merged_ids: ['not-a-uuid'] } }),
    ).toThrow(/crm\.customer\.merged\.v1/);
  });
});

describe('tokenFor', () => {
  it('signs a token the services verify, with tenant, role, subject and teams', async () => {
    const tenant = newTenant();
    const verify = createVerifier({
      secret: TEST_JWT_SECRET,
      issuer: 'bookingx-crm',
      audience: 'crm',
    });
    const principal = await verify(
      await tokenFor(tenant, 'manager', { sub: 'staff-7', teams: ['north'] }),
    );
    expect(principal).toMatchObject({ tenant, role: 'manager', sub: 'staff-7', teams: ['north'] });
  });
});

describe('waitFor', () => {
  it('returns the first value that is not undefined, null or false', async () => {
    let n = 0;
    const value = await waitFor(() => (++n >= 3 ? `after ${n}` : false), { intervalMs: 1 });
    expect(value).toBe('after 3');
  });

  it('names what it waited for and the last error on the deadline', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still 2 of 3');
        },
        { timeoutMs: 30, intervalMs: 5, what: 'the projection' },
      ),
    ).rejects.toThrow('Timed out waiting for the projection: still 2 of 3');
  });
});

describe('api', () => {
  let server: Server;
  let url: string;
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          auth: req.headers.authorization,
          body,
        });
        if (req.url?.startsWith('/problem')) {
          res.writeHead(404, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({
              type: 'about:blank',
              title: 'Not found',
              status: 404,
              code: 'not_found',
            }),
          );
        } else if (req.url === '/text') {
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.end('a,b\n1,2\n');
        } else if (req.url === '/empty') {
          res.writeHead(204);
          res.end();
        } else if (req.url === '/crm/customers' && req.method === 'POST') {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'c-1', ...(JSON.parse(body) as object) }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json', etag: '"2"' });
          res.end(
            JSON.stringify({ method: req.method, if_match: req.headers['if-match'] ?? null }),
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends JSON with the bearer token and headers, and parses JSON, problem+json, text and empty answers', async () => {
    const client = api(url).as('tok-1');
    const patched = await client.patch<{ method: string; if_match: string }>(
      '/things/1',
      { a: 1 },
      { headers: { 'if-match': '"1"' } },
    );
    expect(patched).toMatchObject({ status: 200, body: { method: 'PATCH', if_match: '"1"' } });
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(seen.at(-1)).toEqual({
      method: 'PATCH',
      url: '/things/1',
      auth: 'Bearer tok-1',
      body: '{"a":1}',
    });

    for (const method of ['get', 'delete'] as const) {
      expect((await client[method]<{ method: string }>('/x')).body.method).toBe(
        method.toUpperCase(),
      );
    }
    expect((await client.put<{ method: string }>('/x', {})).body.method).toBe('PUT');
    expect((await client.request<{ method: string }>('OPTIONS', '/x')).body.method).toBe('OPTIONS');

    const problem = await api(url).get<Problem>('/problem');
    expect(problem.status).toBe(404);
    expect(problem.body.code).toBe('not_found');
    expect(seen.at(-1)?.auth).toBeUndefined();
    expect((await api(url).get('/text')).body).toBe('a,b\n1,2\n');
    expect((await api(url).get('/empty')).body).toBeNull();
  });

  it('creates a customer from buildCustomer and fails on anything but 201', async () => {
    const customer = await createCustomer(api(url).as('tok-2'), { first_name: 'Grace' });
    expect(customer).toMatchObject({ id: 'c-1', first_name: 'Grace', timezone: 'Europe/Berlin' });
    expect(buildCustomer().email).not.toBe(buildCustomer().email);
    await expect(createCustomer(api(`${url}/problem`))).rejects.toThrow(/answered 404/);
  });
});
