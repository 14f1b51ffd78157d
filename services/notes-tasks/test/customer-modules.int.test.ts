import { randomUUID } from 'node:crypto';
import { makeEvent, type CloudEvent } from '@crm/contracts';
import { customerVisible, scopeOf, signDevToken } from '@crm/service-kit';
import { TEST_JWT_SECRET, useBus, useService, waitFor } from '@crm/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { notesTasksService } from '../src/service.js';

const svc = useService(notesTasksService);
const bus = useBus();

const system = { type: 'system' as const, id: null, name: null };

function assignment(tenant: string, customerId: string, ownerId: string, version: number) {
  return makeEvent({
    type: 'crm.customer.assignment.changed.v1',
    source: 'crm/profiles',
    tenantId: tenant,
    subject: customerId,
    sequence: version,
    data: {
      customer_id: customerId,
      owner_id: ownerId,
      team_id: null,
      collaborator_ids: [],
      version,
    },
  });
}

async function replicaRow(tenant: string, customerId: string) {
  const { rows } = await svc.kit.database.pool.query<{ owner_id: string; version: number }>(
    'SELECT owner_id, version FROM notes_tasks.customer_access WHERE tenant_id = $1 AND customer_id = $2',
    [tenant, customerId],
  );
  return rows[0];
}

async function staffPrincipal(tenant: string, sub: string) {
  return {
    tenant,
    sub,
    role: 'staff' as const,
    teams: [],
    token: await signDevToken({ secret: TEST_JWT_SECRET, tenant, role: 'staff', sub, teams: [] }),
  };
}

async function checkAs(tenant: string, sub: string, customerId: string) {
  const principal = await staffPrincipal(tenant, sub);
  return svc.kit.customers?.replica.check(svc.kit.database.db, scopeOf(principal), customerId);
}

/** The ids among `ids` the staff member may see, as a repository's query would filter them. */
async function visibleAs(tenant: string, sub: string, ids: string[]): Promise<string[]> {
  const replica = svc.kit.customers?.replica.table;
  if (!replica) throw new Error('notes-tasks keeps a replica');
  const scope = scopeOf(await staffPrincipal(tenant, sub));
  const values = sql.join(
    ids.map((id) => sql`(${id}::uuid)`),
    sql`, `,
  );
  const { rows } = await svc.kit.database.db.execute<{ id: string }>(
    sql`SELECT v.id FROM (VALUES ${values}) AS v(id) WHERE ${customerVisible(replica, scope, sql`v.id`)}`,
  );
  return rows.map((r) => r.id);
}

describe('notes-tasks declares its customer data and the kit does the rest', () => {
  it('keeps the assignment replica from crm.customer.assignment.changed.v1, newest version first', async () => {
    const tenant = randomUUID();
    const customerId = randomUUID();
    await bus.publish([assignment(tenant, customerId, 'staff-anna', 2)]);
    await waitFor(async () => (await replicaRow(tenant, customerId))?.version === 2, {
      what: 'the assignment in the replica',
    });
    expect(await checkAs(tenant, 'staff-anna', customerId)).toBe('visible');
    expect(await checkAs(tenant, 'staff-ben', customerId)).toBe('hidden');
    expect(await checkAs(tenant, 'staff-ben', randomUUID())).toBe('unknown');
    const stranger = randomUUID();
    expect(await visibleAs(tenant, 'staff-anna', [customerId, stranger])).toEqual([customerId]);
    expect(await visibleAs(tenant, 'staff-ben', [customerId, stranger])).toEqual([]);

    // A stale event after a newer one changes nothing; the next version does.
    await bus.publish([assignment(tenant, customerId, 'staff-ben', 1)]);
    await bus.publish([assignment(tenant, customerId, 'staff-cleo', 3)]);
    await waitFor(async () => (await replicaRow(tenant, customerId))?.version === 3, {
      what: 'version 3',
    });
    expect(await replicaRow(tenant, customerId)).toEqual({ owner_id: 'staff-cleo', version: 3 });
  });

  it('records merged ids and an erasure, once however often the events arrive', async () => {
    const tenant = randomUUID();
    const survivor = randomUUID();
    const merged = randomUUID();
    await bus.publish([
      assignment(tenant, survivor, 'staff-anna', 1),
      assignment(tenant, merged, 'staff-anna', 1),
    ]);
    await waitFor(async () => (await replicaRow(tenant, merged)) !== undefined, {
      what: 'both customers in the replica',
    });
    const mergedEvent: CloudEvent = makeEvent({
      type: 'crm.customer.merged.v1',
      source: 'crm/profiles',
      tenantId: tenant,
      subject: survivor,
      data: { survivor_id: survivor, merged_ids: [merged], merged_by: system },
    });
    await bus.publish([mergedEvent, mergedEvent]);
    const db = svc.kit.database.db;
    const aliases = svc.kit.customers?.aliases;
    await waitFor(async () => (await aliases?.resolve(db, tenant, merged)) === survivor, {
      what: 'the alias',
    });
    expect(await replicaRow(tenant, merged)).toBeUndefined();

    const erased = makeEvent({
      type: 'crm.customer.erased.v1',
      source: 'crm/profiles',
      tenantId: tenant,
      subject: survivor,
      data: { customer_id: survivor, erased_by: system },
    });
    await bus.publish([erased, erased]);
    const erasure = svc.kit.customers?.erasure;
    const at = await waitFor(
      () => erasure?.erasedAt(db, tenant, survivor) ?? Promise.resolve(null),
      {
        what: 'the erasure recorded',
      },
    );
    expect(at).toBeInstanceOf(Date);
    expect(await replicaRow(tenant, survivor)).toBeUndefined();
    // One row per id the erasure covered (the survivor and the id merged into it), once each.
    const { rows } = await svc.kit.database.pool.query<{ customer_id: string }>(
      'SELECT customer_id FROM notes_tasks.erasures WHERE tenant_id = $1 ORDER BY customer_id',
      [tenant],
    );
    expect(rows.map((r) => r.customer_id)).toEqual([merged, survivor].sort());
  });
});
