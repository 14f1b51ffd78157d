import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Customer, Interaction } from '@crm/contracts';
import { api, testDatabaseUrl, tokenFor, useService, waitFor } from '@crm/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionsService } from '../services/interactions/src/service.js';
import { notesTasksService } from '../services/notes-tasks/src/service.js';
import { profilesService } from '../services/profiles/src/service.js';

const profiles = useService(profilesService);
const interactions = useService(interactionsService, {
  env: () => ({ PROFILES_URL: profiles.url }),
});
// Notes-tasks runs too: it must record the erasure like every service that holds customers.
useService(notesTasksService, { env: () => ({ PROFILES_URL: profiles.url }) });
const services = { profiles, interactions };
let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
});

afterAll(async () => {
  await db.end();
});

interface Hit {
  column: string;
  sample: string;
}

/** Every text, json and binary column of every table in every schema that holds `marker`. */
async function findEverywhere(marker: string): Promise<Hit[]> {
  const { rows: columns } = await db.query<{
    schema: string;
    table: string;
    column: string;
    type: string;
  }>(
    `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column, c.data_type AS type
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE t.table_type = 'BASE TABLE'
        AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')`,
  );
  expect(columns.length).toBeGreaterThan(50);
  const hits: Hit[] = [];
  for (const c of columns) {
    const col = pg.escapeIdentifier(c.column);
    const from = `${pg.escapeIdentifier(c.schema)}.${pg.escapeIdentifier(c.table)}`;
    const where =
      c.type === 'bytea'
        ? `position(convert_to($1, 'UTF8') in ${col}) > 0`
        : `position($1 in ${col}::text) > 0`;
    const { rows } = await db.query<{ sample: string }>(
      `SELECT left(${col}::text, 300) AS sample FROM ${from} WHERE ${where} LIMIT 1`,
      [marker],
    );
    for (const r of rows)
      hits.push({ column: `${c.schema}.${c.table}.${c.column}`, sample: r.sample });
  }
  return hits;
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}

describe('erasing a customer', () => {
  it('leaves none of their data anywhere in the database', async () => {
    const { profiles, interactions } = services;
    const tenant = randomUUID();
    const admin = await tokenFor(tenant, 'admin', { sub: 'admin-erasure' });
    // One random stem in every marker, so one search finds any of them.
    const stem = `zq${randomBytes(6).toString('hex')}`;
    const m = (field: string) => `${stem}${field}`;
    const digits = String(randomInt(1_000_000, 9_999_999));
    const markers = [stem, digits];

    for (const body of [
      {
        field_name: 'passport_no',
        field_label: 'Passport',
        field_type: 'text',
        is_sensitive: true,
      },
      { field_name: 'favourite', field_label: 'Favourite', field_type: 'text' },
    ]) {
      const r = await api(profiles.url).as(admin).request('POST', '/crm/custom-fields', { body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const created = await api(profiles.url)
      .as(admin)
      .request<Customer>('POST', '/crm/customers', {
        headers: { 'idempotency-key': randomUUID() },
        body: {
          first_name: m('first'),
          last_name: m('last'),
          email: `${m('mail')}@example.com`,
          phone: `+49 30 ${digits}`,
          company_name: m('company'),
          job_title: m('job'),
          website: `https://${m('site')}.example.com`,
          preferred_contact_time: m('time'),
          referral_source: m('referral'),
          address: {
            line1: m('line1'),
            line2: null,
            city: m('city'),
            region: null,
            postal_code: null,
            country: 'DE',
          },
          owner_id: 'staff-erasure',
          custom_fields: { passport_no: m('passport'), favourite: m('favourite') },
        },
      });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;

    const other = await api(profiles.url)
      .as(admin)
      .request<Customer>('POST', '/crm/customers', {
        body: { first_name: 'Related', last_name: 'Person' },
      });
    expect(other.status).toBe(201);
    const related = await api(profiles.url)
      .as(admin)
      .request('POST', `/crm/customers/${id}/relationships`, {
        body: { related_customer_id: other.body.id, type: 'spouse', note: m('relnote') },
      });
    expect(related.status, JSON.stringify(related.body)).toBe(201);
    const consent = await api(profiles.url)
      .as(admin)
      .request('POST', `/crm/customers/${id}/consent`, {
        body: {
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          source: 'paper_form',
          note: m('consentnote'),
        },
      });
    expect(consent.status, JSON.stringify(consent.body)).toBeLessThan(300);

    const settings = await api(interactions.url)
      .as(admin)
      .request('PATCH', '/crm/interactions/settings', { body: { track_calls: true } });
    expect(settings.status).toBe(200);
    const staff = await tokenFor(tenant, 'staff', { sub: 'staff-erasure' });
    const path = `/crm/customers/${id}/interactions`;
    const walkIn = await api(interactions.url)
      .as(staff)
      .request<Interaction>('POST', path, {
        headers: { 'idempotency-key': randomUUID() },
        body: {
          interaction_type: 'walk_in',
          subject: m('subject'),
          description: m('description'),
          outcome: m('outcome'),
          metadata: { said: m('metadata') },
        },
      });
    expect(walkIn.status, JSON.stringify(walkIn.body)).toBe(201);
    const edited = await api(interactions.url)
      .as(staff)
      .request('PATCH', `${path}/${walkIn.body.id}`, {
        headers: { 'if-match': walkIn.headers.get('etag') ?? '*' },
        body: { description: m('edited') },
      });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const callLog = await api(interactions.url)
      .as(staff)
      .request('POST', path, {
        body: {
          interaction_type: 'call',
          direction: 'inbound',
          subject: m('callsubject'),
          description: m('callnotes'),
          duration_minutes: 4,
        },
      });
    expect(callLog.status, JSON.stringify(callLog.body)).toBe(201);

    // Every service has heard of the customer, and every event about them has been sent.
    await waitFor(
      async () =>
        (await count(
          `SELECT (SELECT count(*) FROM interactions.customer_access WHERE tenant_id = $1 AND customer_id = $2)
                + (SELECT count(*) FROM notes_tasks.customer_access WHERE tenant_id = $1 AND customer_id = $2)
                  AS n`,
          [tenant, id],
        )) === 2 &&
        (await count(
          `SELECT (SELECT count(*) FROM profiles.outbox WHERE tenant_id = $1 AND sent_at IS NULL)
                + (SELECT count(*) FROM interactions.outbox WHERE tenant_id = $1 AND sent_at IS NULL)
                  AS n`,
          [tenant],
        )) === 0,
      { what: 'the customer in every replica and every event sent' },
    );
    const before = await findEverywhere(stem);
    expect(before.length).toBeGreaterThan(5);

    const erased = await api(profiles.url)
      .as(admin)
      .request('POST', `/crm/customers/${id}/erase`, { body: { reason: 'Asked to be forgotten' } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    await waitFor(
      async () =>
        (await count(
          `SELECT (SELECT count(*) FROM interactions.erasures WHERE tenant_id = $1 AND customer_id = $2)
                + (SELECT count(*) FROM notes_tasks.erasures WHERE tenant_id = $1 AND customer_id = $2)
                + (SELECT count(*) FROM profiles.erased_customers WHERE tenant_id = $1 AND customer_id = $2)
                  AS n`,
          [tenant, id],
        )) === 3,
      { what: 'every service to record the erasure' },
    );

    for (const marker of markers) {
      expect(await findEverywhere(marker), `copies of ${marker}`).toEqual([]);
    }
  });
});
