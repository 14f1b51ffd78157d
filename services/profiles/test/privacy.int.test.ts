import {
  bookingxCustomerId,
  CreateCustomerBody,
  type AuditEntry,
  type CloudEvent,
  type Customer,
  type CustomerErasure,
  type Page,
  type Problem,
  type SearchPage,
} from '@crm/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, buildCustomer, buildEvent, newTenant, tokenFor, waitFor } from '@crm/testing';
import { CustomerKeysRepository } from '../src/db/customer-keys.repository.js';
import { CustomerKeys } from '../src/domain/privacy/customer-keys.js';
import { FieldCrypto, isSealed, parseKeyring } from '../src/domain/privacy/field-crypto.js';
import { createCustomer } from '../src/domain/customers/create-customer.js';
import { useProfiles, verifyAuditCli } from './fixtures.js';
import { verifyAuditChain } from '../src/domain/audit/verify-audit-chain.js';

const { svc, bus, defineFields } = useProfiles();
let db: pg.Client;
/** The service's own key handling (development keyring), to try captured ciphertexts. */
const keys = new CustomerKeys({
  crypto: new FieldCrypto(parseKeyring(undefined, undefined)),
  repo: new CustomerKeysRepository(),
});

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});

afterAll(async () => {
  await db.end();
});

function defineSensitiveAndPlainFields(admin: string): Promise<void> {
  return defineFields(
    admin,
    { field_name: 'passport_no', field_label: 'Passport', field_type: 'text', is_sensitive: true },
    { field_name: 'tax_id', field_label: 'Tax id', field_type: 'text', is_sensitive: true },
    { field_name: 'shoe_size', field_label: 'Shoe size', field_type: 'number' },
  );
}

async function storedValue(tenant: string, customerId: string, name: string): Promise<unknown> {
  const { rows } = await db.query<{ value: unknown }>(
    `SELECT v.value FROM profiles.custom_field_values v
       JOIN profiles.custom_field_definitions d ON d.tenant_id = v.tenant_id AND d.id = v.field_id
      WHERE v.tenant_id = $1 AND v.customer_id = $2 AND d.field_name = $3`,
    [tenant, customerId, name],
  );
  return rows[0]?.value;
}

/** Writes `value` as the stored value of the customer's custom field `name`, behind the service's back. */
async function overwriteStoredValue(
  tenant: string,
  customerId: string,
  name: string,
  value: unknown,
): Promise<void> {
  await db.query(
    `UPDATE profiles.custom_field_values v SET value = $3::jsonb
       FROM profiles.custom_field_definitions d
      WHERE d.tenant_id = v.tenant_id AND d.id = v.field_id
        AND v.tenant_id = $1 AND v.customer_id = $2 AND d.field_name = $4`,
    [tenant, customerId, JSON.stringify(value), name],
  );
}

async function countRows(table: string, column: string, tenant: string, id: string) {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM profiles.${table} WHERE tenant_id = $1 AND ${column} = $2`,
    [tenant, id],
  );
  return rows[0]?.n ?? -1;
}

describe('sensitive custom fields', () => {
  it('are stored, published and audited only sealed, and read back in clear by whoever may see the customer', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await defineSensitiveAndPlainFields(admin);
    const listener = await bus.listen('crm.events', 'crm.customer.*.v1');
    try {
      const created = await api(svc.url)
        .as(admin)
        .post<Customer>(
          '/crm/customers',
          buildCustomer({
            owner_id: 'staff-7',
            custom_fields: { passport_no: 'X123-secret', shoe_size: 38 },
          }),
        );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.id;
      expect(created.body.custom_fields).toEqual({ passport_no: 'X123-secret', shoe_size: 38 });

      const stored = await storedValue(tenant, id, 'passport_no');
      expect(isSealed(stored)).toBe(true);
      expect(JSON.stringify(stored)).not.toContain('X123');
      expect(await storedValue(tenant, id, 'shoe_size')).toBe(38);

      const staff = await tokenFor(tenant, 'staff', { sub: 'staff-7' });
      const read = await api(svc.url).as(staff).get<Customer>(`/crm/customers/${id}`);
      expect(read.body.custom_fields).toMatchObject({ passport_no: 'X123-secret' });
      const list = await api(svc.url).as(admin).get<Page<Customer>>('/crm/customers');
      expect(list.body.data.find((c) => c.id === id)?.custom_fields).toMatchObject({
        passport_no: 'X123-secret',
      });

      // Writing the same value again keeps its ciphertext and is no change; a new one is.
      const same = await api(svc.url)
        .as(admin)
        .patch<Customer>(`/crm/customers/${id}`, { custom_fields: { passport_no: 'X123-secret' } });
      expect(same.status).toBe(200);
      expect(await storedValue(tenant, id, 'passport_no')).toBe(stored);
      const changed = await api(svc.url)
        .as(admin)
        .patch<Customer>(`/crm/customers/${id}`, { custom_fields: { passport_no: 'Y999-secret' } });
      expect(changed.body.custom_fields).toMatchObject({ passport_no: 'Y999-secret' });

      const events = await waitFor(async () => {
        await Promise.resolve();
        const mine = listener.events.filter((e) => e.subject === id);
        return mine.filter((e) => e.type !== 'crm.customer.assignment.changed.v1').length >= 2
          ? mine
          : null;
      });
      const published = JSON.stringify(events);
      expect(published).not.toContain('X123');
      expect(published).not.toContain('Y999');
      const update = events.find((e) => e.type === 'crm.customer.updated.v1') as CloudEvent<
        string,
        { customer: Customer; changed_fields: string[] }
      >;
      expect(events.filter((e) => e.type === 'crm.customer.updated.v1')).toHaveLength(1);
      expect(update.data.changed_fields).toContain('custom_fields.passport_no');
      expect(isSealed(update.data.customer.custom_fields?.passport_no)).toBe(true);

      const audit = await api(svc.url)
        .as(admin)
        .get<Page<AuditEntry>>(`/crm/customers/${id}/audit`);
      expect(JSON.stringify(audit.body)).not.toMatch(/X123|Y999/);
      const { rows } = await db.query<{ v: unknown }>(
        `SELECT new_value AS v FROM profiles.audit_log WHERE tenant_id = $1 AND customer_id = $2`,
        [tenant, id],
      );
      expect(JSON.stringify(rows)).not.toMatch(/X123|Y999|Lovelace/);

      const search = await api(svc.url).as(admin).get<SearchPage>('/crm/search?q=X123-secret');
      expect(search.status).toBe(200);
      expect(search.body.data).toEqual([]);
    } finally {
      await listener.close();
    }
  });

  it('do not decrypt when a ciphertext is moved to another customer or field: a clear error, never another value', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await defineSensitiveAndPlainFields(admin);
    const make = async (passport: string, tax: string) =>
      (
        await api(svc.url)
          .as(admin)
          .post<Customer>(
            '/crm/customers',
            buildCustomer({ custom_fields: { passport_no: passport, tax_id: tax } }),
          )
      ).body;
    const a = await make('A-passport', 'A-tax');
    const b = await make('B-passport', 'B-tax');
    const aPassport = await storedValue(tenant, a.id, 'passport_no');

    // A's ciphertext copied into B's row, as someone with database access might.
    await overwriteStoredValue(tenant, b.id, 'passport_no', aPassport);
    const swapped = await api(svc.url).as(admin).get<Problem>(`/crm/customers/${b.id}`);
    expect(swapped.status).toBe(500);
    expect(swapped.body.detail).toMatch(/does not decrypt/);
    expect(JSON.stringify(swapped.body)).not.toContain('A-passport');

    // A's passport ciphertext moved into A's own tax_id field.
    await overwriteStoredValue(tenant, a.id, 'tax_id', aPassport);
    const moved = await api(svc.url).as(admin).get<Problem>(`/crm/customers/${a.id}`);
    expect(moved.status).toBe(500);
    expect(moved.body.detail).toMatch(/custom_fields\.tax_id .* does not decrypt/);
    expect(JSON.stringify(moved.body)).not.toContain('A-passport');
  });

  it('move to the survivor of a merge sealed again for it', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await defineSensitiveAndPlainFields(admin);
    const survivor = await api(svc.url).as(admin).post<Customer>('/crm/customers', buildCustomer());
    const other = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ custom_fields: { passport_no: 'M-777' } }));
    const merged = await api(svc.url)
      .as(admin)
      .post<Customer>(`/crm/customers/${survivor.body.id}/merge`, { merge_ids: [other.body.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.custom_fields).toMatchObject({ passport_no: 'M-777' });
    const read = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${survivor.body.id}`);
    expect(read.body.custom_fields).toMatchObject({ passport_no: 'M-777' });
  });
});

describe('erasure', () => {
  it('shreds the key, deletes the profile, keeps a verifiable trail and a tombstone, and is idempotent', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin', { sub: 'admin-9' });
    await defineSensitiveAndPlainFields(admin);
    expect((await api(svc.url).as(admin).post('/crm/tags', { name: 'Gold' })).status).toBe(201);

    const fact = buildEvent('bookingx.customer.created.v1', {
      tenantId: tenant,
      data: { customer: { first_name: 'Erin', last_name: 'Erased' } },
    });
    const bxId = (fact.data as { customer: { bookingx_id: string } }).customer.bookingx_id;
    const id = bookingxCustomerId(tenant, bxId);
    await bus.publish([fact]);
    await waitFor(
      async () => (await api(svc.url).as(admin).get(`/crm/customers/${id}`)).status === 200,
    );
    const listener = await bus.listen('crm.events', 'crm.customer.*.v1');
    const friend = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ first_name: 'Friend' }));
    let captured: CloudEvent<string, { customer: Customer }>;
    try {
      const patched = await api(svc.url)
        .as(admin)
        .patch<Customer>(`/crm/customers/${id}`, {
          custom_fields: { passport_no: 'E-555', shoe_size: 41 },
          collaborator_ids: ['staff-3'],
          owner_id: 'staff-3',
        });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      await api(svc.url)
        .as(admin)
        .post(`/crm/customers/${id}/tags`, { add: ['Gold'] });
      const rel = await api(svc.url).as(admin).post(`/crm/customers/${id}/relationships`, {
        related_customer_id: friend.body.id,
        type: 'friend',
      });
      expect(rel.status, JSON.stringify(rel.body)).toBe(201);
      const consent = await api(svc.url).as(admin).post(`/crm/customers/${id}/consent`, {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'booking_form',
        note: 'Erin said yes at the desk',
      });
      expect(consent.body).toMatchObject({ note: 'Erin said yes at the desk' });
      const history = await api(svc.url)
        .as(admin)
        .get<Page<{ note: string | null }>>(`/crm/customers/${id}/consent/history`);
      expect(history.body.data.map((r) => r.note)).toEqual(['Erin said yes at the desk']);
      const { rows: notes } = await db.query<{ note: string }>(
        'SELECT note FROM profiles.consent_records WHERE tenant_id = $1 AND customer_id = $2',
        [tenant, id],
      );
      expect(isSealed(notes[0]?.note)).toBe(true);
      expect(notes[0]?.note).not.toContain('Erin');
      captured = await waitFor(async () => {
        await Promise.resolve();
        return listener.events.find(
          (e) =>
            e.subject === id &&
            e.type === 'crm.customer.updated.v1' &&
            isSealed((e.data as { customer: Customer }).customer.custom_fields?.passport_no),
        ) as CloudEvent<string, { customer: Customer }> | undefined;
      });
    } finally {
      await listener.close();
    }
    const sealedInEvent = captured.data.customer.custom_fields?.passport_no as string;
    const passportCtx = { tenantId: tenant, customerId: id, field: 'custom_fields.passport_no' };
    const { rows: auditRows } = await db.query<{ id: string; v: unknown }>(
      `SELECT id, new_value AS v FROM profiles.audit_log
        WHERE tenant_id = $1 AND customer_id = $2 AND field = 'first_name'`,
      [tenant, id],
    );
    const nameEntry = auditRows[0];
    expect(isSealed(nameEntry?.v)).toBe(true);
    const nameCtx = { tenantId: tenant, customerId: id, field: `audit.${nameEntry?.id}.new` };
    // Before erasure both copies open with the customer's key.
    const before = (await keys.forRead(svc.kit.database.db, tenant, [id])).get(id);
    expect(before).toBeDefined();
    if (before) {
      expect(keys.open(before, passportCtx, sealedInEvent)).toBe('E-555');
      expect(keys.open(before, nameCtx, nameEntry?.v as string)).toBe('Erin');
    }

    // Only admins erase; another tenant's admin does not even find the customer.
    for (const role of ['manager', 'staff', 'sales_rep'] as const) {
      const token = await tokenFor(tenant, role, { sub: 'staff-3', teams: [] });
      const r = await api(svc.url)
        .as(token)
        .post(`/crm/customers/${id}/erase`, { reason: 'request' });
      expect(r.status, role).toBe(403);
    }
    const self = await tokenFor(tenant, 'customer', { sub: id });
    expect(
      (await api(svc.url).as(self).post(`/crm/customers/${id}/erase`, { reason: 'me' })).status,
    ).toBe(403);
    const stranger = await tokenFor(newTenant(), 'admin');
    expect(
      (await api(svc.url).as(stranger).post(`/crm/customers/${id}/erase`, { reason: 'x' })).status,
    ).toBe(404);
    for (const body of [{}, { reason: '' }, { reason: 'ok', extra: 1 }]) {
      const bad = await api(svc.url).as(admin).post<Problem>(`/crm/customers/${id}/erase`, body);
      expect(bad.status, JSON.stringify(body)).toBe(422);
    }
    expect(await countRows('customers', 'id', tenant, id)).toBe(1);

    const erasedEvents = await bus.listen('crm.events', 'crm.customer.erased.v1');
    const erased = await api(svc.url)
      .as(admin)
      .post<CustomerErasure>(`/crm/customers/${id}/erase`, {
        reason: 'GDPR Art. 17 request 2026-11-24',
      });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body).toMatchObject({
      customer_id: id,
      erased_by: 'admin-9',
      already_erased: false,
    });
    const again = await api(svc.url).as(admin).post<CustomerErasure>(`/crm/customers/${id}/erase`, {
      reason: 'GDPR Art. 17 request 2026-11-24',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...erased.body, already_erased: true });
    const published = await waitFor(async () => {
      await Promise.resolve();
      return erasedEvents.events.find((e) => e.subject === id);
    });
    await erasedEvents.close();
    expect(published.data).toEqual({
      customer_id: id,
      erased_by: { type: 'staff', id: 'admin-9', name: null },
    });

    // The key is gone: the captured event and the audit row keep ciphertext nobody can open.
    expect((await keys.forRead(svc.kit.database.db, tenant, [id])).size).toBe(0);
    expect(await countRows('customer_keys', 'customer_id', tenant, id)).toBe(0);
    expect(isSealed(sealedInEvent)).toBe(true);

    // Gone from every read path.
    expect((await api(svc.url).as(admin).get(`/crm/customers/${id}`)).status).toBe(404);
    const list = await api(svc.url).as(admin).get<Page<Customer>>('/crm/customers?limit=200');
    expect(list.body.data.map((c) => c.id)).not.toContain(id);
    const search = await api(svc.url).as(admin).get<SearchPage>('/crm/search?q=Erased');
    expect(search.body.data.map((h) => h.id)).not.toContain(id);
    const friendRels = await api(svc.url)
      .as(admin)
      .get<{ data: unknown[] }>(`/crm/customers/${friend.body.id}/relationships`);
    expect(JSON.stringify(friendRels.body)).not.toContain(id);
    for (const [table, column] of [
      ['customers', 'id'],
      ['custom_field_values', 'customer_id'],
      ['customer_tags', 'customer_id'],
      ['customer_collaborators', 'customer_id'],
      ['customer_phones', 'customer_id'],
      ['external_refs', 'customer_id'],
      ['relationships', 'related_id'],
      ['search_documents', 'customer_id'],
    ] as const) {
      expect(await countRows(table, column, tenant, id), table).toBe(0);
    }
    expect(await countRows('erased_customers', 'customer_id', tenant, id)).toBe(1);
    // The ledgers keep their rows; the consent ledger holds no more than the id and the choice.
    expect(await countRows('consent_records', 'customer_id', tenant, id)).toBeGreaterThan(0);

    // The trail stays readable where it holds no personal data, and its chain verifies.
    const trail = await api(svc.url)
      .as(admin)
      .get<Page<AuditEntry>>(`/crm/customers/${id}/audit?limit=200`);
    expect(trail.status).toBe(200);
    expect(trail.body.data[0]).toMatchObject({
      field: 'erased',
      via: 'POST /crm/customers/{id}/erase',
    });
    expect(trail.body.data.find((e) => e.field === 'first_name')).toMatchObject({
      old_value: null,
      new_value: null,
    });
    expect(JSON.stringify(trail.body)).not.toMatch(/Erin|Erased|E-555/);
    expect(await verifyAuditChain(svc.deps.audit, tenant)).toMatchObject({ ok: true });
    const verified = await verifyAuditCli(tenant);
    expect(JSON.parse(verified.stdout)).toMatchObject({ tenant_id: tenant, ok: true });

    // BookingX speaks of the person again: acknowledged, not brought back.
    const later = buildEvent('bookingx.customer.updated.v1', {
      tenantId: tenant,
      data: { customer: { bookingx_id: bxId, first_name: 'Erin' } },
    });
    await bus.publish([later]);
    await waitFor(async () => {
      const { rows } = await db.query('SELECT 1 FROM profiles.inbox WHERE event_id = $1', [
        later.id,
      ]);
      return rows.length > 0;
    });
    expect((await api(svc.url).as(admin).get(`/crm/customers/${id}`)).status).toBe(404);
    expect(await countRows('customers', 'id', tenant, id)).toBe(0);
    // Nor does a CRM write that names the same BookingX id (a CSV import row).
    const principal = { sub: 'admin-9', tenant, role: 'admin' as const, teams: [], token: '' };
    await expect(
      svc.kit.database.db.transaction((tx) =>
        createCustomer(
          svc.deps.customers,
          principal,
          CreateCustomerBody.parse({ first_name: 'Erin' }),
          {
            tx,
            ctx: { actor: { type: 'staff', id: 'admin-9', name: null }, via: 'test' },
            bookingxId: bxId,
          },
        ),
      ),
    ).rejects.toThrow(/was erased and is not created again/);
    expect(await countRows('customers', 'id', tenant, id)).toBe(0);
  }, 120_000);

  it('answers 404 for a customer that never existed', async () => {
    const admin = await tokenFor(newTenant(), 'admin');
    const r = await api(svc.url)
      .as(admin)
      .post<Problem>('/crm/customers/0190a8f4-0000-7000-8000-000000000000/erase', {
        reason: 'request',
      });
    expect(r.status).toBe(404);
  });
});
