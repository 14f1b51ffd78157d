import { sql } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/db.js';
import { createServiceApp } from '../src/http.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { testEnv } from './support.js';

const EMAIL = 'ada.lovelace@example.com';
const lines: string[] = [];
let database: Database;
let app: Express;

beforeAll(() => {
  database = createDatabase({ url: testEnv().databaseUrl, max: 2 });
  const logger = createLogger('kit-logging', 'trace', {
    write(line: string) {
      lines.push(line);
    },
  });
  const made = createServiceApp({
    service: 'kit-logging',
    logger,
    metrics: createMetrics('kit-logging'),
  });
  app = made.app;
  // A query that fails on a customer's value: drizzle's error carries the SQL and the
  // parameters, PostgreSQL's message quotes the value.
  app.post('/customers', async (req, res) => {
    const { email } = req.body as { email: string };
    await database.db.execute(sql`SELECT ${email}::uuid AS id`);
    res.status(201).end();
  });
  app.get('/customers', async (req, res) => {
    const email = typeof req.query.email === 'string' ? req.query.email : '';
    await database.db.execute(sql`SELECT ${email}::uuid AS id`);
    res.end();
  });
  made.finish();
});

afterAll(async () => {
  await database.close();
});

describe('error logs', () => {
  it('log a database error by code and message, never its parameters, query or body', async () => {
    lines.length = 0;
    const res = await request(app).post('/customers').send({ email: EMAIL });
    expect(res.status).toBe(500);
    const searched = await request(app).get(`/customers?email=${encodeURIComponent(EMAIL)}`);
    expect(searched.status).toBe(500);

    const output = lines.join('\n');
    expect(output).not.toContain(EMAIL);
    expect(output).not.toContain(encodeURIComponent(EMAIL));
    expect(output).not.toMatch(/params:|SELECT/);
    const unhandled = lines
      .map((line) => JSON.parse(line) as { msg?: string; err?: Record<string, unknown> })
      .filter((entry) => entry.msg === 'unhandled error');
    expect(unhandled).toHaveLength(2);
    expect(unhandled[0]?.err).toMatchObject({
      message: 'Failed query',
      cause: {
        type: 'DatabaseError',
        code: '22P02',
        message: 'invalid input syntax for type uuid',
      },
    });
    // The request line still says what was asked, by method and path.
    expect(output).toContain('"url":"/customers"');
  });
});
