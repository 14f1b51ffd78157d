import {
  bookingxCustomerId,
  type AuditEntry,
  type Customer,
  type Page,
  type Problem,
} from '@crm/contracts';
import { runMigrations } from '@crm/service-kit';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { api, buildCustomer, buildEvent, newTenant, tokenFor, waitFor } from '@crm/testing';
import { migrationsFolder } from '../src/db/migrations-folder.js';
import { useProfiles, verifyAuditCli } from './fixtures.js';
import { verifyAuditChain } from '../src/domain/audit/verify-audit-chain.js';

const { svc, bus, defineFields } = useProfiles();

async function trail(token: string, id: string, query = ''): Promise<AuditEntry[]> {
  const r = await api(svc.url)
    .as(token)
    .get<Page<AuditEntry>>(`/crm/customers/${id}/audit${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data;
}

/** Well-formed base64url JSON that no audit page issued. */
const forged = (key: unknown): string => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('the audit trail', () => {
  it('records who changed which field from what to what, through which route or event, masking sensitive fields', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin', { sub: 'admin-1' });
    await defineFields(
      admin,
      {
        field_name: 'passport_no',
        field_label: 'Passport',
        field_type: 'text',
        is_sensitive: true,
      },
      { field_name: 'shoe_size', field_label: 'Shoe size', field_type: 'number' },
    );
    expect((await api(svc.url).as(admin).post('/crm/tags', { name: 'Gold' })).status).toBe(201);
    const created = await api(svc.url)
      .as(admin)
      .post<Customer>(
        '/crm/customers',
        buildCustomer({
          first_name: 'Ada',
          custom_fields: { passport_no: 'X123', shoe_size: 38 },
        }),
      );
    const id = created.body.id;
    const onCreate = await trail(admin, id);
    expect(onCreate.map((e) => e.field)).toEqual(
      expect.arrayContaining([
        'first_name',
        'email',
        'phone',
        'owner_id',
        'custom_fields.passport_no',
      ]),
    );
    expect(onCreate.every((e) => e.via === 'POST /crm/customers' && e.old_value === null)).toBe(
      true,
    );
    expect(onCreate.find((e) => e.field === 'custom_fields.passport_no')).toMatchObject({
      masked: true,
      new_value: null,
    });
    expect(onCreate.find((e) => e.field === 'custom_fields.shoe_size')).toMatchObject({
      masked: false,
      new_value: 38,
    });

    await api(svc.url)
      .as(admin)
      .patch(`/crm/customers/${id}`, {
        first_name: 'Augusta',
        vip_status: true,
        custom_fields: { passport_no: 'Y999' },
      });
    await api(svc.url)
      .as(admin)
      .post(`/crm/customers/${id}/tags`, { add: ['Gold'] });

    const all = await trail(admin, id);
    const [tags, ...rest] = all;
    expect(tags).toMatchObject({
      field: 'tags',
      old_value: [],
      new_value: ['Gold'],
      via: 'POST /crm/customers/{id}/tags',
      actor: { type: 'staff', id: 'admin-1' },
    });
    const patch = rest.filter((e) => e.via === 'PATCH /crm/customers/{id}');
    expect(patch.map((e) => [e.field, e.old_value, e.new_value, e.masked])).toEqual(
      expect.arrayContaining([
        ['first_name', 'Ada', 'Augusta', false],
        ['vip_status', false, true, false],
        ['custom_fields.passport_no', null, null, true],
      ]),
    );
    expect(JSON.stringify(all)).not.toContain('X123');
    expect(JSON.stringify(all)).not.toContain('Y999');
    // Newest first, one chain.
    const seqs = all.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const names = await trail(admin, id, '?field=first_name');
    expect(names.map((e) => e.new_value)).toEqual(['Augusta', 'Ada']);
    const first = await api(svc.url)
      .as(admin)
      .get<Page<AuditEntry>>(`/crm/customers/${id}/audit?limit=2`);
    const second = await api(svc.url)
      .as(admin)
      .get<Page<AuditEntry>>(
        `/crm/customers/${id}/audit?limit=2&cursor=${encodeURIComponent(first.body.next_cursor ?? '')}`,
      );
    expect([...first.body.data, ...second.body.data].map((e) => e.seq)).toEqual(seqs.slice(0, 4));
  });

  it('records changes that come from BookingX events with the event as the way in', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = buildEvent('bookingx.customer.created.v1', {
      tenantId: tenant,
      time: new Date('2026-01-01T00:00:00Z'),
    });
    const bxId = (created.data as { customer: { bookingx_id: string } }).customer.bookingx_id;
    const updated = buildEvent('bookingx.customer.updated.v1', {
      tenantId: tenant,
      time: new Date('2026-02-01T00:00:00Z'),
      data: { customer: { bookingx_id: bxId, last_name: 'Hopper-Smith' } },
    });
    const id = bookingxCustomerId(tenant, bxId);
    await bus.publish([created]);
    await waitFor(
      async () => (await api(svc.url).as(admin).get(`/crm/customers/${id}`)).status === 200,
    );
    await bus.publish([updated]);
    const entries = await waitFor(async () => {
      const list = await trail(admin, id);
      return list.some((e) => e.field === 'last_name' && e.new_value === 'Hopper-Smith') && list;
    });
    expect(entries.find((e) => e.field === 'last_name')).toMatchObject({
      field: 'last_name',
      old_value: 'Hopper',
      via: `bookingx.customer.updated.v1 ${updated.id}`,
      actor: { type: 'bookingx' },
    });
    expect(entries.at(-1)?.via).toBe(`bookingx.customer.created.v1 ${created.id}`);
  });

  it('keeps each tenant’s chain whole when a backlog of BookingX events meets API writes', async () => {
    const tenantA = newTenant();
    const tenantB = newTenant();
    const adminA = await tokenFor(tenantA, 'admin');
    const adminB = await tokenFor(tenantB, 'admin');
    const events = [
      ...Array.from({ length: 40 }, () =>
        buildEvent('bookingx.customer.created.v1', { tenantId: tenantA }),
      ),
      ...Array.from({ length: 20 }, () =>
        buildEvent('bookingx.customer.created.v1', { tenantId: tenantB }),
      ),
    ];
    // The consumer takes these in batches; the API writes land between and inside them.
    await bus.publish(events);
    await Promise.all(
      Array.from({ length: 10 }, () =>
        api(svc.url).as(adminA).post('/crm/customers', buildCustomer()),
      ),
    );
    for (const event of events) {
      const bxId = (event.data as { customer: { bookingx_id: string } }).customer.bookingx_id;
      const id = bookingxCustomerId(event.tenantid, bxId);
      const admin = event.tenantid === tenantA ? adminA : adminB;
      // Every customer the backlog created has its entries in the trail.
      const entries = await waitFor(async () => {
        const list = await trail(admin, id).catch(() => []);
        return list.length > 0 && list;
      });
      expect(entries.at(-1)?.via).toBe(`bookingx.customer.created.v1 ${event.id}`);
    }
    for (const tenant of [tenantA, tenantB]) {
      expect(await verifyAuditChain(svc.deps.audit, tenant, 7)).toMatchObject({
        ok: true,
        broken_at_seq: null,
      });
    }
  });

  it('is for admins only, and for the admin’s own tenant', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const customer = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ owner_id: 'staff-1', team_id: 'team-a' }));
    const id = customer.body.id;
    const refused = [
      await tokenFor(tenant, 'manager', { sub: 'mgr', teams: ['team-a'] }),
      await tokenFor(tenant, 'staff', { sub: 'staff-1' }),
      await tokenFor(tenant, 'sales_rep', { sub: 'staff-1' }),
      await tokenFor(tenant, 'customer', { sub: id }),
    ];
    for (const token of refused) {
      expect((await api(svc.url).as(token).get(`/crm/customers/${id}/audit`)).status).toBe(403);
    }
    const stranger = await api(svc.url)
      .as(await tokenFor(newTenant(), 'admin'))
      .get<Problem>(`/crm/customers/${id}/audit`);
    expect(stranger.status).toBe(404);
    for (const cursor of ['abc', forged(['1']), forged([-1]), forged({ seq: 1 })]) {
      const badCursor = await api(svc.url)
        .as(admin)
        .request<Problem>('GET', `/crm/customers/${id}/audit?cursor=${cursor}`);
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.code).toBe('invalid_cursor');
    }
    const unknownParam = await api(svc.url)
      .as(admin)
      .request('GET', `/crm/customers/${id}/audit?since=1`);
    expect(unknownParam.status).toBe(422);
  });
});

describe('tamper resistance', () => {
  it('the service role can read and append but not update, delete or truncate the trail', async () => {
    const role = 'crm_profiles_audit_probe';
    await runMigrations({
      databaseUrl: inject('databaseUrl'),
      schema: 'profiles',
      migrationsFolder,
      role,
    });
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const customer = await api(svc.url).as(admin).post<Customer>('/crm/customers', buildCustomer());
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      await client.query(`SET ROLE ${role}`);
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM profiles.audit_log WHERE tenant_id = $1',
        [tenant],
      );
      expect(rows[0]?.n).toBeGreaterThan(0);
      for (const statement of [
        `UPDATE profiles.audit_log SET new_value = '"forged"' WHERE tenant_id = '${tenant}'`,
        `DELETE FROM profiles.audit_log WHERE tenant_id = '${tenant}'`,
        'TRUNCATE profiles.audit_log',
      ]) {
        await expect(client.query(statement), statement).rejects.toThrow(
          /append-only|permission denied/,
        );
      }
      // The role cannot switch the guard off either.
      await expect(
        client.query('ALTER TABLE profiles.audit_log DISABLE TRIGGER audit_log_no_update_delete'),
      ).rejects.toThrow(/must be owner/);
    } finally {
      await client.end();
    }
    const still = await trail(admin, customer.body.id);
    expect(still.length).toBeGreaterThan(0);
  });

  it('verifies each tenant’s hash chain and names the first entry that was altered', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const a = await api(svc.url).as(admin).post<Customer>('/crm/customers', buildCustomer());
    for (let i = 0; i < 3; i += 1) {
      await api(svc.url)
        .as(admin)
        .patch(`/crm/customers/${a.body.id}`, { job_title: `Job ${i}` });
    }
    const good = await verifyAuditChain(svc.deps.audit, tenant, 2);
    expect(good).toMatchObject({ ok: true, broken_at_seq: null });
    expect(good.entries).toBeGreaterThan(5);

    const ok = await verifyAuditCli(tenant);
    expect(JSON.parse(ok.stdout)).toMatchObject({ tenant_id: tenant, ok: true });

    // Only a superuser that bypasses triggers can do this; the chain still tells.
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(
        `UPDATE profiles.audit_log SET new_value = '"Forged"' WHERE tenant_id = $1 AND seq = 4`,
        [tenant],
      );
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    const bad = await verifyAuditChain(svc.deps.audit, tenant);
    expect(bad).toMatchObject({
      ok: false,
      broken_at_seq: 4,
      reason: 'content does not match its hash',
    });
    const failed = await verifyAuditCli(tenant).then(
      () => null,
      (err: unknown) => err as { code: number; stdout: string },
    );
    expect(failed?.code).toBe(1);
    expect(JSON.parse(failed?.stdout ?? '{}')).toMatchObject({ ok: false, broken_at_seq: 4 });
  }, 120_000);
});
