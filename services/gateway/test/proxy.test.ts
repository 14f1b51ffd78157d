import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { PROBLEM_CONTENT_TYPE, Problem } from '@crm/contracts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Echo,
  TENANT_A,
  allUpstreamsAt,
  bearer,
  startTestGateway,
  listenApp,
  startFakeUpstream,
  tokenFor,
  type FakeUpstream,
  type TestGateway,
} from './support.js';

const CUSTOMER = '0193a000-0000-7000-8000-0000000000c1';
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

let profiles: FakeUpstream;
let interactions: FakeUpstream;
let comms: FakeUpstream;
let created: FakeUpstream;
let gateway: TestGateway;
let createdGateway: TestGateway;
let token: string;

beforeAll(async () => {
  profiles = await startFakeUpstream();
  interactions = await startFakeUpstream();
  comms = await startFakeUpstream();
  created = await startFakeUpstream({
    status: 201,
    headers: {
      location: `/crm/customers/${CUSTOMER}`,
      etag: '"1"',
      'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
      'content-length': '16',
    },
    body: '{"id":"created"}',
  });
  gateway = await startTestGateway({
    ...allUpstreamsAt(profiles.url),
    INTERACTIONS_URL: interactions.url,
    COMMS_URL: comms.url,
    BODY_LIMIT: '1kb',
    UPLOAD_BODY_LIMIT: '8kb',
  });
  createdGateway = await startTestGateway(allUpstreamsAt(created.url));
  token = await tokenFor(TENANT_A);
});

afterAll(async () => {
  await gateway.close();
  await createdGateway.close();
  await Promise.all([profiles, interactions, comms, created].map((u) => u.close()));
});

describe('forwarding', () => {
  it('forwards method, path, query, body, request id and the token to the owning service', async () => {
    const body = JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace' });
    const res = await request(gateway.app)
      .patch(`/crm/customers/${CUSTOMER}?expand=tags&x=a%20b`)
      .set('Authorization', bearer(token))
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'req-forward-1')
      .set('traceparent', TRACEPARENT)
      .set('If-Match', '"3"')
      .set('X-Forwarded-For', '203.0.113.9')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-forward-1');
    const echo = Echo.parse(res.body);
    expect(echo).toMatchObject({
      method: 'PATCH',
      url: `/crm/customers/${CUSTOMER}?expand=tags&x=a%20b`,
      body,
    });
    expect(echo.headers).toMatchObject({
      authorization: bearer(token),
      'x-request-id': 'req-forward-1',
      traceparent: TRACEPARENT,
      'if-match': '"3"',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-forwarded-proto': 'http',
    });
    expect(echo.headers['x-forwarded-for']).toMatch(/^203\.0\.113\.9, .*127\.0\.0\.1$/);
    expect(echo.headers['x-forwarded-host']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(profiles.received.at(-1)?.url).toBe(echo.url);
  });

  it('gives each request an id when the caller sent none', async () => {
    const res = await request(gateway.app)
      .get('/crm/customers')
      .set('Authorization', bearer(token));
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Echo.parse(res.body).headers['x-request-id']).toBe(id);
  });

  it('routes each path to the service that owns it', async () => {
    const timeline = await request(gateway.app)
      .get(`/crm/customers/${CUSTOMER}/timeline`)
      .set('Authorization', bearer(token));
    expect(timeline.status).toBe(200);
    expect(interactions.received.at(-1)?.url).toBe(`/crm/customers/${CUSTOMER}/timeline`);

    const deadLetters = await request(gateway.app)
      .get('/crm/admin/services/comms/dead-letters?limit=10')
      .set('Authorization', bearer(token));
    expect(deadLetters.status).toBe(200);
    expect(comms.received.at(-1)?.url).toBe('/crm/admin/services/comms/dead-letters?limit=10');
  });

  it('forwards any body byte for byte, compressed or not JSON', async () => {
    const form = 'From=%2B15550001&Body=hello+there';
    const formRes = await request(gateway.app)
      .post('/crm/customers')
      .set('Authorization', bearer(token))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(form);
    expect(formRes.status).toBe(200);
    expect(Echo.parse(formRes.body).body).toBe(form);

    // Sent with fetch: supertest would re-encode a Buffer labelled as JSON.
    const gzipped = gzipSync(Buffer.from('{"first_name":"Zip"}'));
    const listening = await listenApp(gateway.app);
    try {
      const res = await fetch(`${listening.url}/crm/customers`, {
        method: 'POST',
        headers: {
          Authorization: bearer(token),
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
        },
        body: gzipped,
      });
      expect(res.status).toBe(200);
    } finally {
      await listening.close();
    }
    const received = profiles.received.at(-1);
    expect(received?.headers['content-encoding']).toBe('gzip');
    expect(received?.body.equals(gzipped)).toBe(true);
  });

  it('forwards a body the client sent after Expect: 100-continue', async () => {
    // Sent with node:http, which waits for the 100 as curl does for bodies over 1 KB.
    const body = JSON.stringify({ note: 'y'.repeat(900) });
    const listening = await listenApp(gateway.app);
    try {
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(`${listening.url}/crm/customers`, {
          method: 'POST',
          headers: {
            Authorization: bearer(token),
            'Content-Type': 'application/json',
            'Content-Length': String(Buffer.byteLength(body)),
            Expect: '100-continue',
          },
        });
        req.on('continue', () => req.end(body));
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
          });
        });
        req.on('error', reject);
      });
      expect(answer.status).toBe(200);
      const echo = Echo.parse(JSON.parse(answer.text));
      expect(echo.body).toBe(body);
      expect(echo.headers.expect).toBeUndefined();
    } finally {
      await listening.close();
    }
  });

  it('does not forward hop-by-hop headers', async () => {
    const res = await request(gateway.app)
      .get('/crm/customers')
      .set('Authorization', bearer(token))
      .set('Connection', 'keep-alive, x-hop')
      .set('X-Hop', 'one-connection-only')
      .set('Proxy-Authorization', 'Basic Zm9vOmJhcg==')
      .set('X-Kept', 'yes');
    const { headers } = Echo.parse(res.body);
    expect(headers['x-kept']).toBe('yes');
    expect(headers['x-hop']).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
    expect(headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(headers.host).not.toBe(res.request.url.split('/')[2]);
  });

  it('passes back the status, headers and body of the answer', async () => {
    const res = await request(createdGateway.app)
      .post('/crm/customers')
      .set('Authorization', bearer(token))
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/crm/customers/${CUSTOMER}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.text).toBe('{"id":"created"}');
    expect(res.headers['content-length']).toBe('16');
  });

  it('refuses a body over BODY_LIMIT with 413 before calling the service', async () => {
    const before = profiles.received.length;
    const res = await request(gateway.app)
      .post('/crm/customers')
      .set('Authorization', bearer(token))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ note: 'x'.repeat(2048) }));
    expect(res.status).toBe(413);
    expect(Problem.parse(res.body).code).toBe('payload_too_large');
    expect(profiles.received.length).toBe(before);
  });

  it('lets a raw upload through up to UPLOAD_BODY_LIMIT, and no further', async () => {
    const csv = `first_name\n${'Ada\n'.repeat(1000)}`;
    const before = profiles.received.length;
    const ok = await request(gateway.app)
      .post('/crm/customers/imports?mapping=%7B%7D')
      .set('Authorization', bearer(token))
      .set('Content-Type', 'text/csv')
      .send(csv);
    // Over BODY_LIMIT (1 kB) but under UPLOAD_BODY_LIMIT (8 kB): forwarded whole.
    expect(ok.status).toBe(200);
    expect(profiles.received.length).toBe(before + 1);
    expect(profiles.received.at(-1)?.body.length).toBe(Buffer.byteLength(csv));
    const tooBig = await request(gateway.app)
      .post('/crm/customers/imports?mapping=%7B%7D')
      .set('Authorization', bearer(token))
      .set('Content-Type', 'text/csv')
      .send('x'.repeat(9 * 1024));
    expect(tooBig.status).toBe(413);
    expect(profiles.received.length).toBe(before + 1);
  });
});

describe('unknown routes', () => {
  it('answers 404 problem+json for a path no route serves', async () => {
    const res = await request(gateway.app)
      .get('/crm/no-such-thing')
      .set('Authorization', bearer(token));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(res.body).code).toBe('not_found');
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const res = await request(gateway.app)
      .delete('/crm/customers')
      .set('Authorization', bearer(token));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(res.body).code).toBe('method_not_allowed');
  });
});

describe('streaming', () => {
  it('passes the answer on as it arrives, before the upstream has finished it', async () => {
    let finish: (() => void) | undefined;
    const slow = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('id,name\n');
      finish = () => res.end('1,Ada\n');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const { port } = slow.address() as AddressInfo;
    const streaming = await startTestGateway(allUpstreamsAt(`http://127.0.0.1:${port}`));
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          `${streaming.url}/crm/customers/export`,
          { headers: { authorization: bearer(token) } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              body += chunk;
              // The first line came through while the upstream still holds the rest back.
              if (body === 'id,name\n') finish?.();
            });
            res.on('end', () => {
              resolve(body);
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(text).toBe('id,name\n1,Ada\n');
    } finally {
      await streaming.close();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
