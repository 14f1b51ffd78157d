import { randomUUID } from 'node:crypto';
import {
  makeEvent,
  signIngest,
  type Customer,
  type IngestCredentials,
  type Page,
} from '@crm/contracts';
import openapi from '@crm/contracts/generated/openapi.json' with { type: 'json' };
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBus, buildEvent, tokenFor, waitFor } from '@crm/testing';
import { startCluster } from './cluster.js';

// ajv-formats is CommonJS with its function as the default export's default.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface MediaType {
  schema?: unknown;
}
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

const doc = openapi as unknown as Doc;
const DOC_ID = 'https://crm.example/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, DOC_ID);

const operations = new Map<string, { path: string; method: string; op: Operation }>();
for (const [path, item] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(item))
    operations.set(op.operationId, { path, method, op });
}

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(id: string, status: string, mediaType: string): ValidateFunction {
  const key = `${id} ${status} ${mediaType}`;
  const cached = validators.get(key);
  if (cached) return cached;
  const found = operations.get(id);
  if (!found) throw new Error(`No operation ${id}`);
  const ref = `${DOC_ID}#/${pointer('paths', found.path, found.method, 'responses', status, 'content', mediaType, 'schema')}`;
  const validate = ajv.compile({ $ref: ref });
  validators.set(key, validate);
  return validate;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

const exercised = new Set<string>();

/** The answer's status is documented for the operation, and its body fits that response. */
function conforms(id: string, res: Answer, expectedStatus: number): void {
  expect(res.status, `${id}: ${JSON.stringify(res.body)}`).toBe(expectedStatus);
  const found = operations.get(id);
  expect(found, id).toBeDefined();
  const response = found?.op.responses[String(res.status)];
  expect(response, `${id} documents ${res.status}`).toBeDefined();
  const content = response?.content;
  if (content === undefined || Object.keys(content).length === 0) {
    const empty = res.body === null || res.body === '';
    expect(empty, `${id} ${res.status} has a body the document omits`).toBe(true);
  } else {
    const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    expect(Object.keys(content), `${id} ${res.status} content type`).toContain(type);
    if (content[type]?.schema !== undefined) {
      const validate = validatorFor(id, String(res.status), type);
      const ok = validate(res.body);
      expect(ok, `${id} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  }
  exercised.add(id);
}

let cluster: Awaited<ReturnType<typeof startCluster>>;
let gateway: string;
let bus: TestBus;

beforeAll(async () => {
  cluster = await startCluster();
  gateway = cluster.gatewayUrl;
  bus = await TestBus.open();
});

afterAll(async () => {
  await bus.close();
  await cluster.stop();
});

async function send(
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    raw?: { type: string; bytes: string | Buffer };
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.type;
    body = options.raw.bytes;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${gateway}${path}`, { method, headers, body });
  const type = res.headers.get('content-type') ?? '';
  let parsed: unknown;
  if (type.includes('json')) parsed = await res.json();
  else if (type.startsWith('image/'))
    parsed = Buffer.from(await res.arrayBuffer()).toString('base64');
  else {
    const text = await res.text();
    parsed = text === '' ? null : text;
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The stages a read returned, as a replacement names them. */
function stagesOf(body: unknown): { key: string; label: string }[] {
  const read = body as { data?: unknown[]; stages?: unknown[] };
  const list = read.data ?? read.stages ?? [];
  return (list as { key: string; label: string }[]).map(({ key, label }) => ({ key, label }));
}

function customerBody(): Record<string, unknown> {
  const n = randomUUID().slice(0, 8);
  return {
    first_name: 'Ada',
    last_name: `Lovelace${n}`,
    email: `ada.${n}@example.com`,
    phone: '+49 30 901820',
  };
}

describe('every operation of the OpenAPI document, answered by the real services', () => {
  it('answers each operation as the document says', async () => {
    const tenant = randomUUID();
    const admin = await tokenFor(tenant, 'admin', { sub: 'staff-admin' });
    const eur = (amount_minor: number) => ({ amount_minor, currency: 'EUR' });

    // Customers
    let r = await send('POST', '/crm/customers', { token: admin, body: customerBody() });
    conforms('createCustomer', r, 201);
    const customer = r.body as Customer;
    const other = (await send('POST', '/crm/customers', { token: admin, body: customerBody() }))
      .body as Customer;
    const third = (await send('POST', '/crm/customers', { token: admin, body: customerBody() }))
      .body as Customer;
    conforms('listCustomers', await send('GET', '/crm/customers?limit=5', { token: admin }), 200);
    conforms(
      'queryCustomers',
      await send('POST', '/crm/customers/query', {
        token: admin,
        body: { filter: { field: 'first_name', op: 'eq', value: 'Ada' } },
      }),
      200,
    );
    conforms(
      'getCustomer',
      await send('GET', `/crm/customers/${customer.id}`, { token: admin }),
      200,
    );
    r = await send('PATCH', `/crm/customers/${customer.id}`, {
      token: admin,
      body: { company_name: 'Analytical Engines' },
      headers: { 'if-match': '"1"' },
    });
    conforms('updateCustomer', r, 200);
    r = await send('PUT', `/crm/customers/${customer.id}`, {
      token: admin,
      body: {
        first_name: customer.first_name,
        last_name: customer.last_name,
        email: customer.email,
        phone: customer.phone,
        company_name: 'Analytical Engines',
      },
      headers: { 'if-match': '"2"' },
    });
    conforms('replaceCustomer', r, 200);

    // Tags
    r = await send('POST', '/crm/tags', { token: admin, body: { name: 'Gold' } });
    conforms('createTag', r, 201);
    const tag = r.body as { id: string };
    conforms('listTags', await send('GET', '/crm/tags', { token: admin }), 200);
    conforms('getTag', await send('GET', `/crm/tags/${tag.id}`, { token: admin }), 200);
    conforms(
      'updateTag',
      await send('PATCH', `/crm/tags/${tag.id}`, { token: admin, body: { name: 'Platinum' } }),
      200,
    );
    conforms(
      'setCustomerTags',
      await send('POST', `/crm/customers/${customer.id}/tags`, {
        token: admin,
        body: { add: ['Platinum'] },
      }),
      200,
    );
    conforms(
      'bulkTagCustomers',
      await send('POST', '/crm/customers/bulk/tags', {
        token: admin,
        body: { customer_ids: [other.id], add: ['Platinum'] },
      }),
      200,
    );
    const spare = (await send('POST', '/crm/tags', { token: admin, body: { name: 'Spare' } }))
      .body as { id: string };
    conforms('deleteTag', await send('DELETE', `/crm/tags/${spare.id}`, { token: admin }), 204);

    // Stages and bulk changes
    r = await send('GET', '/crm/lifecycle-stages', { token: admin });
    conforms('getLifecycleStages', r, 200);
    conforms(
      'putLifecycleStages',
      await send('PUT', '/crm/lifecycle-stages', {
        token: admin,
        body: { stages: stagesOf(r.body) },
        headers: { 'if-match': r.headers.get('etag') ?? '' },
      }),
      200,
    );
    conforms(
      'bulkSetStage',
      await send('POST', '/crm/customers/bulk/stage', {
        token: admin,
        body: { customer_ids: [other.id], customer_stage: 'lead' },
      }),
      200,
    );
    conforms(
      'bulkAssign',
      await send('POST', '/crm/customers/bulk/assign', {
        token: admin,
        body: { customer_ids: [other.id], owner_id: 'staff-admin' },
      }),
      200,
    );

    // Custom fields
    r = await send('POST', '/crm/custom-fields', {
      token: admin,
      body: { field_name: 'nickname', field_label: 'Nickname', field_type: 'text' },
    });
    conforms('createCustomField', r, 201);
    const field = r.body as { id: string };
    const field2 = (
      await send('POST', '/crm/custom-fields', {
        token: admin,
        body: { field_name: 'shoe_size', field_label: 'Shoe size', field_type: 'number' },
      })
    ).body as { id: string };
    conforms('listCustomFields', await send('GET', '/crm/custom-fields', { token: admin }), 200);
    conforms(
      'getCustomField',
      await send('GET', `/crm/custom-fields/${field.id}`, { token: admin }),
      200,
    );
    conforms(
      'updateCustomField',
      await send('PATCH', `/crm/custom-fields/${field.id}`, {
        token: admin,
        body: { field_label: 'Known as' },
      }),
      200,
    );
    conforms(
      'reorderCustomFields',
      await send('POST', '/crm/custom-fields/reorder', {
        token: admin,
        body: { field_ids: [field2.id, field.id] },
      }),
      200,
    );
    conforms(
      'deleteCustomField',
      await send('DELETE', `/crm/custom-fields/${field2.id}`, { token: admin }),
      204,
    );

    // Audit and consent
    conforms(
      'listCustomerAudit',
      await send('GET', `/crm/customers/${customer.id}/audit`, { token: admin }),
      200,
    );
    conforms(
      'recordCustomerConsent',
      await send('POST', `/crm/customers/${customer.id}/consent`, {
        token: admin,
        body: { channel: 'email', purpose: 'marketing', granted: true, source: 'paper_form' },
      }),
      201,
    );
    conforms(
      'getCustomerConsent',
      await send('GET', `/crm/customers/${customer.id}/consent`, { token: admin }),
      200,
    );
    conforms(
      'listCustomerConsentHistory',
      await send('GET', `/crm/customers/${customer.id}/consent/history`, { token: admin }),
      200,
    );

    // Self-service
    const self = await tokenFor(tenant, 'customer', { sub: customer.id });
    r = await send('GET', '/crm/me', { token: self });
    conforms('getMe', r, 200);
    conforms(
      'updateMe',
      await send('PATCH', '/crm/me', {
        token: self,
        body: { first_name: 'Augusta' },
        headers: { 'if-match': r.headers.get('etag') ?? '' },
      }),
      200,
    );
    conforms('getMyConsent', await send('GET', '/crm/me/consent', { token: self }), 200);
    conforms(
      'recordMyConsent',
      await send('POST', '/crm/me/consent', {
        token: self,
        body: { channel: 'sms', purpose: 'marketing', granted: false },
      }),
      201,
    );

    // Search, duplicates
    conforms('searchCustomers', await send('GET', '/crm/search?q=Lovelace', { token: admin }), 200);
    conforms(
      'listCustomerDuplicates',
      await send('GET', `/crm/customers/${customer.id}/duplicates`, { token: admin }),
      200,
    );

    // Relationships and households
    r = await send('POST', `/crm/customers/${customer.id}/relationships`, {
      token: admin,
      body: { related_customer_id: other.id, type: 'parent' },
    });
    conforms('createRelationship', r, 201);
    const relationship = r.body as { id: string };
    conforms(
      'listCustomerRelationships',
      await send('GET', `/crm/customers/${customer.id}/relationships`, { token: admin }),
      200,
    );
    conforms(
      'deleteRelationship',
      await send('DELETE', `/crm/customers/${customer.id}/relationships/${relationship.id}`, {
        token: admin,
      }),
      204,
    );
    r = await send('POST', '/crm/households', {
      token: admin,
      body: { name: 'The Lovelaces', member_ids: [customer.id, other.id] },
    });
    conforms('createHousehold', r, 201);
    const household = r.body as { id: string };
    r = await send('GET', `/crm/households/${household.id}`, { token: admin });
    conforms('getHousehold', r, 200);
    r = await send('PATCH', `/crm/households/${household.id}`, {
      token: admin,
      body: { name: 'Lovelace household' },
      headers: { 'if-match': r.headers.get('etag') ?? '' },
    });
    conforms('updateHousehold', r, 200);
    conforms(
      'deleteHousehold',
      await send('DELETE', `/crm/households/${household.id}`, {
        token: admin,
        headers: { 'if-match': r.headers.get('etag') ?? '' },
      }),
      204,
    );

    // Opportunities
    r = await send('POST', `/crm/customers/${customer.id}/opportunities`, {
      token: admin,
      body: { title: 'Wedding package', value: eur(120_000) },
    });
    conforms('createOpportunity', r, 201);
    const opportunity = r.body as { id: string };
    conforms(
      'listCustomerOpportunities',
      await send('GET', `/crm/customers/${customer.id}/opportunities`, { token: admin }),
      200,
    );
    conforms('listOpportunities', await send('GET', '/crm/opportunities', { token: admin }), 200);
    r = await send('GET', `/crm/opportunities/${opportunity.id}`, { token: admin });
    conforms('getOpportunity', r, 200);
    conforms(
      'updateOpportunity',
      await send('PATCH', `/crm/opportunities/${opportunity.id}`, {
        token: admin,
        body: { title: 'Wedding package deluxe' },
        headers: { 'if-match': r.headers.get('etag') ?? '' },
      }),
      200,
    );
    r = await send('GET', '/crm/opportunity-stages', { token: admin });
    conforms('getOpportunityStages', r, 200);
    conforms(
      'putOpportunityStages',
      await send('PUT', '/crm/opportunity-stages', {
        token: admin,
        body: { stages: stagesOf(r.body) },
        headers: { 'if-match': r.headers.get('etag') ?? '' },
      }),
      200,
    );

    // Pictures
    conforms(
      'putCustomerPicture',
      await send('PUT', `/crm/customers/${customer.id}/picture`, {
        token: admin,
        body: { content_base64: PNG.toString('base64') },
      }),
      200,
    );
    conforms(
      'getCustomerPicture',
      await send('GET', `/crm/customers/${customer.id}/picture`, { token: admin }),
      200,
    );
    conforms(
      'deleteCustomerPicture',
      await send('DELETE', `/crm/customers/${customer.id}/picture`, { token: admin }),
      204,
    );

    // CSV import and export
    const mapping = encodeURIComponent(
      JSON.stringify({ First: 'first_name', Last: 'last_name', Email: 'email' }),
    );
    r = await send('POST', `/crm/customers/imports?mapping=${mapping}`, {
      token: admin,
      raw: {
        type: 'text/csv',
        bytes: `First,Last,Email\nGrace,Hopper,grace.${tenant.slice(0, 8)}@example.com\nBad,Row,not-an-email\n`,
      },
    });
    conforms('createCustomerImport', r, 202);
    const importId = (r.body as { id: string }).id;
    await waitFor(
      async () => {
        const got = await send('GET', `/crm/customers/imports/${importId}`, { token: admin });
        return (got.body as { status?: string }).status === 'completed' && got;
      },
      { what: 'the import to finish', timeoutMs: 30_000 },
    );
    conforms(
      'getCustomerImport',
      await send('GET', `/crm/customers/imports/${importId}`, { token: admin }),
      200,
    );
    conforms(
      'listCustomerImports',
      await send('GET', '/crm/customers/imports', { token: admin }),
      200,
    );
    conforms(
      'listCustomerImportErrors',
      await send('GET', `/crm/customers/imports/${importId}/errors`, { token: admin }),
      200,
    );
    conforms(
      'exportCustomerImportErrors',
      await send('GET', `/crm/customers/imports/${importId}/errors/export`, { token: admin }),
      200,
    );
    conforms('exportCustomers', await send('GET', '/crm/customers/export', { token: admin }), 200);

    // Interactions: the customer reaches interactions over the bus.
    const interactionsOf = `/crm/customers/${customer.id}/interactions`;
    await waitFor(
      async () => (await send('GET', interactionsOf, { token: admin })).status === 200,
      { what: 'the customer in interactions' },
    );
    r = await send('POST', interactionsOf, {
      token: admin,
      // A walk-in carries no amount: `amount: null` in the answer, a nullable reference.
      body: { interaction_type: 'walk_in', subject: 'Asked about vouchers' },
    });
    conforms('logInteraction', r, 201);
    const interaction = r.body as { id: string };
    conforms('listInteractions', await send('GET', interactionsOf, { token: admin }), 200);
    r = await send('GET', `${interactionsOf}/${interaction.id}`, { token: admin });
    conforms('getInteraction', r, 200);
    conforms(
      'updateInteraction',
      await send('PATCH', `${interactionsOf}/${interaction.id}`, {
        token: admin,
        body: { outcome: 'bought a voucher' },
        headers: { 'if-match': r.headers.get('etag') ?? '' },
      }),
      200,
    );
    conforms(
      'deleteInteraction',
      await send('DELETE', `${interactionsOf}/${interaction.id}`, { token: admin }),
      204,
    );
    conforms(
      'getCustomerEngagement',
      await send('GET', `/crm/customers/${customer.id}/engagement`, { token: admin }),
      200,
    );
    conforms(
      'getCustomerTimeline',
      await send('GET', `/crm/customers/${customer.id}/timeline`, { token: admin }),
      200,
    );
    conforms(
      'exportCustomerTimeline',
      await send('GET', `/crm/customers/${customer.id}/timeline/export?format=csv`, {
        token: admin,
      }),
      200,
    );
    const itself = await tokenFor(tenant, 'customer', { sub: customer.id });
    conforms('getMyTimeline', await send('GET', '/crm/me/timeline', { token: itself }), 200);
    conforms(
      'exportMyTimeline',
      await send('GET', '/crm/me/timeline/export?format=json', { token: itself }),
      200,
    );

    // Tracking settings, the signed ingest and the beacon
    conforms(
      'getTrackingSettings',
      await send('GET', '/crm/interactions/settings', { token: admin }),
      200,
    );
    conforms(
      'updateTrackingSettings',
      await send('PATCH', '/crm/interactions/settings', {
        token: admin,
        body: { track_website_visits: true },
      }),
      200,
    );
    r = await send('POST', '/crm/interactions/settings/ingest-secret', { token: admin });
    conforms('rotateIngestSecret', r, 201);
    const credentials = r.body as IngestCredentials;
    const at = Math.floor(Date.now() / 1000);
    const raw = JSON.stringify({
      events: [buildEvent('bookingx.booking.created.v1', { tenantId: tenant })],
    });
    conforms(
      'ingestBookingx',
      await send('POST', '/crm/ingest/bookingx', {
        raw: { type: 'application/json', bytes: raw },
        headers: {
          'x-bookingx-tenant': tenant,
          'x-bookingx-timestamp': String(at),
          'x-bookingx-signature': signIngest(credentials.ingest_secret, at, raw),
        },
      }),
      202,
    );
    conforms(
      'trackPageView',
      await send('POST', '/crm/track', {
        body: {
          key: credentials.tracking_key,
          visitor_id: 'visitor-0001',
          url: 'https://salon.example.com/services/cut',
        },
      }),
      202,
    );

    // The staff directory, and the development sign-in the test cluster serves.
    conforms(
      'createDevToken',
      await send('POST', '/crm/dev/token', { body: { role: 'admin', sub: 'dev-admin' } }),
      200,
    );
    conforms('listTeamMembers', await send('GET', '/crm/team?limit=5', { token: admin }), 200);
    conforms(
      'createTeam',
      await send('POST', '/crm/team/teams', {
        token: admin,
        body: { id: 'front-desk', name: 'Front desk' },
      }),
      201,
    );
    conforms('listTeams', await send('GET', '/crm/team/teams', { token: admin }), 200);
    conforms('getTeam', await send('GET', '/crm/team/teams/front-desk', { token: admin }), 200);
    conforms(
      'addTeamMember',
      await send('POST', '/crm/team/members', {
        token: admin,
        body: {
          id: 'staff-rosa',
          name: 'Rosa Parks',
          email: 'rosa@example.com',
          role: 'staff',
          team_ids: ['front-desk'],
        },
      }),
      201,
    );
    conforms(
      'getTeamMember',
      await send('GET', '/crm/team/members/staff-rosa', { token: admin }),
      200,
    );
    conforms(
      'updateTeamMember',
      await send('PATCH', '/crm/team/members/staff-rosa', {
        token: admin,
        body: { role: 'sales_rep' },
        headers: { 'if-match': '"1"' },
      }),
      200,
    );
    conforms(
      'updateTeam',
      await send('PATCH', '/crm/team/teams/front-desk', {
        token: admin,
        body: { name: 'Reception' },
        headers: { 'if-match': '"1"' },
      }),
      200,
    );
    conforms(
      'setTeamMembers',
      await send('PUT', '/crm/team/teams/front-desk/members', {
        token: admin,
        body: { member_ids: ['staff-rosa', 'staff-admin'] },
      }),
      200,
    );
    conforms(
      'deleteTeam',
      await send('DELETE', '/crm/team/teams/front-desk', { token: admin }),
      204,
    );

    // The tenant's locale, time zone and currency.
    conforms('getTenantSettings', await send('GET', '/crm/settings/tenant', { token: admin }), 200);
    conforms(
      'putTenantSettings',
      await send('PUT', '/crm/settings/tenant', {
        token: admin,
        body: { locale: 'en-GB', timezone: 'Europe/London', currency: 'GBP' },
        headers: { 'if-match': '"0"' },
      }),
      200,
    );

    // Dead letters: an event whose payload breaks its schema is dead-lettered at once.
    const poison = makeEvent({
      type: 'bookingx.booking.created.v1',
      source: 'bookingx/test',
      tenantId: tenant,
      subject: randomUUID(),
      data: {} as never,
    });
    await bus.publish([poison]);
    const letters = await waitFor(
      async () => {
        const got = await send('GET', '/crm/admin/services/interactions/dead-letters', {
          token: admin,
        });
        return (got.body as Page<{ id: string }>).data.length > 0 && got;
      },
      { what: 'the dead letter' },
    );
    conforms('listDeadLetters', letters, 200);
    const letter = (letters.body as Page<{ id: string }>).data[0];
    conforms(
      'replayDeadLetter',
      await send(
        'POST',
        `/crm/admin/services/interactions/dead-letters/${letter?.id ?? ''}/replay`,
        {
          token: admin,
        },
      ),
      202,
    );

    // Merge and erasure last: they change who exists.
    r = await send('GET', `/crm/customers/${customer.id}`, { token: admin });
    conforms(
      'mergeCustomers',
      await send('POST', `/crm/customers/${customer.id}/merge`, {
        token: admin,
        body: { merge_ids: [third.id] },
        headers: { 'if-match': r.headers.get('etag') ?? '' },
      }),
      200,
    );
    conforms(
      'eraseCustomer',
      await send('POST', `/crm/customers/${other.id}/erase`, {
        token: admin,
        body: { reason: 'Erasure request 2026-12-04' },
      }),
      200,
    );

    // Every operation of the document was answered and checked.
    expect([...operations.keys()].filter((id) => !exercised.has(id))).toEqual([]);
  });
});
