import {
  ERROR_CODES,
  PROBLEM_CONTENT_TYPE,
  Problem,
  problemType,
  statusOf,
  titleOf,
} from '@crm/contracts';
import type { Express } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError, fieldErrorsOf, toProblem } from '../src/errors.js';
import { createServiceApp } from '../src/http.js';
import { createMetrics } from '../src/metrics.js';
import { parse } from '../src/validate.js';
import { silentLogger } from './support.js';

const Body = z
  .object({
    name: z.string().min(1),
    contact: z.object({ email: z.email() }).strict(),
    tags: z.array(z.string().max(5)),
  })
  .strict();

const Query = z.object({ limit: z.coerce.number().int().max(200) }).strict();

let app: Express;

beforeAll(() => {
  const made = createServiceApp({
    service: 'kit-errors',
    logger: silentLogger,
    metrics: createMetrics('kit-errors'),
    bodyLimit: '1kb',
  });
  app = made.app;
  app.get('/codes/:code', (req) => {
    const code = z.enum(ERROR_CODES).parse(req.params.code);
    throw new AppError(code, `detail for ${code}`);
  });
  app.post('/things', (req, res) => {
    const body = parse(Body, req.body, 'body');
    res.status(201).json(body);
  });
  app.get('/things', (req, res) => {
    res.json(parse(Query, req.query, 'query'));
  });
  app.get('/crash', async () => {
    await Promise.resolve();
    throw new Error('database password is hunter2');
  });
  app.get('/challenge', () => {
    throw new AppError('unauthenticated', 'Who are you?', undefined, {
      'WWW-Authenticate': 'Bearer realm="crm"',
    });
  });
  made.finish();
});

describe('problem+json', () => {
  it.each(ERROR_CODES)('answers %s with its status and the problem shape', async (code) => {
    const problem = toProblem(new AppError(code, `detail for ${code}`), 'req-1', '/x');
    expect(problem).toEqual({
      type: problemType(code),
      title: titleOf(code),
      status: statusOf(code),
      detail: `detail for ${code}`,
      code,
      instance: '/x',
      request_id: 'req-1',
    });

    const res = await request(app).get(`/codes/${code}`).set('x-request-id', `req-${code}`);
    expect(res.status).toBe(statusOf(code));
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(Problem.parse(res.body)).toEqual({
      type: problemType(code),
      title: titleOf(code),
      status: statusOf(code),
      detail: `detail for ${code}`,
      code,
      instance: `/codes/${code}`,
      request_id: `req-${code}`,
    });
    expect(res.headers['x-request-id']).toBe(`req-${code}`);
  });

  it('maps every code to a distinct type and an error status', () => {
    expect(new Set(ERROR_CODES.map(problemType)).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(statusOf(code)).toBeGreaterThanOrEqual(400);
  });

  it('names each bad field, nested and indexed, and each unknown key', async () => {
    const res = await request(app)
      .post('/things')
      .send({
        name: '',
        contact: { email: 'nope', fax: '123' },
        tags: ['ok', 'far too long'],
        colour: 'red',
        size: 'xl',
      })
      .expect(422);
    const problem = Problem.parse(res.body);
    expect(problem.code).toBe('validation_failed');
    const fields = (problem.errors ?? []).map((e) => e.field).sort();
    expect(fields).toEqual(['colour', 'contact.email', 'contact.fax', 'name', 'size', 'tags.1']);
    expect(problem.errors).toContainEqual({
      field: 'colour',
      code: 'unrecognized_key',
      message: 'Unknown field: colour',
    });
  });

  it('prefixes query fields and refuses unknown query parameters', async () => {
    const res = await request(app).get('/things').query({ limit: '500', sort: 'name' }).expect(422);
    const fields = (Problem.parse(res.body).errors ?? []).map((e) => e.field).sort();
    expect(fields).toEqual(['query.limit', 'query.sort']);
  });

  it('refuses a NUL character anywhere in the body or query, naming the field', async () => {
    const nested = await request(app)
      .post('/things')
      .send({ name: 'Ada', contact: { email: 'a@b.co' }, tags: ['ok', 'b\u0000d'] });
    expect(nested.status).toBe(422);
    expect(Problem.parse(nested.body).errors).toEqual([
      {
        field: 'tags.1',
        code: 'invalid_string',
        message: 'Must not contain the NUL character (U+0000)',
      },
    ]);
    // Before the route's own schema: a field the schema would refuse anyway is still named.
    const key = await request(app).post('/things').send({ 'na\u0000me': 'x' });
    expect(key.status).toBe(422);
    expect(Problem.parse(key.body).errors?.[0]?.field).toBe('na\\u0000me');
    const query = await request(app).get('/things?limit=1&q=a%00b');
    expect(query.status).toBe(422);
    expect(Problem.parse(query.body).errors?.[0]?.field).toBe('query.q');
    // parse() checks every part it is given, params and headers included.
    expect(() => parse(z.object({ id: z.string() }), { id: 'x\u0000' }, 'params')).toThrow(
      AppError,
    );
  });

  it('lists each of several unknown keys under its own field', () => {
    const result = z.object({}).strict().safeParse({ a: 1, b: 2 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrorsOf(result.error).map((e) => e.field)).toEqual(['a', 'b']);
    expect(fieldErrorsOf(result.error, 'body').map((e) => e.field)).toEqual(['body.a', 'body.b']);
  });

  it('hides unexpected errors behind a 500 without their message', async () => {
    const res = await request(app).get('/crash').expect(500);
    expect(res.body).toMatchObject({ code: 'internal', status: 500 });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('sends the headers an error carries', async () => {
    const res = await request(app).get('/challenge').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="crm"');
  });

  it('answers bodies it cannot read: bad JSON 400, too large 413, not JSON 415', async () => {
    const bad = await request(app)
      .post('/things')
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'bad_request' });

    const large = await request(app)
      .post('/things')
      .send({ name: 'x'.repeat(2048), contact: { email: 'a@b.co' }, tags: [] })
      .expect(413);
    expect(large.body).toMatchObject({ code: 'payload_too_large' });

    const text = await request(app)
      .post('/things')
      .set('content-type', 'text/plain')
      .send('name=x')
      .expect(415);
    expect(text.body).toMatchObject({ code: 'unsupported_media_type' });
    expect(text.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
  });

  it('reads +json media types as JSON', async () => {
    const res = await request(app)
      .post('/things')
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: 'Ada', contact: { email: 'ada@example.com' }, tags: [] }))
      .expect(201);
    expect(res.body).toMatchObject({ name: 'Ada' });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await request(app).get('/nowhere').expect(404);
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.body).toMatchObject({ code: 'not_found', instance: '/nowhere' });
  });
});
