import type { BulkResult } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, newTenant, tokenFor } from '@crm/testing';
import { stageAndAssignmentChanges, useProfiles } from './fixtures.js';

const { svc, bus, create: customer } = useProfiles();

/** POSTs `body` to the bulk `action` as `token`; a refusal's body is a problem instead. */
function bulk(token: string, action: 'stage' | 'assign', body: Record<string, unknown>) {
  return api(svc.url).as(token).post<BulkResult>(`/crm/customers/bulk/${action}`, body);
}

describe('bulk stage and assignment by ids', () => {
  it('moves the customers the caller may change, publishing each change, and reports the rest', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const a = await customer(admin, { owner_id: 'rep-1' });
    const b = await customer(admin, { owner_id: 'rep-1', customer_stage: 'lead' });
    const c = await customer(admin, { owner_id: 'rep-2' });
    const foreign = await customer(await tokenFor(newTenant(), 'admin'));
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' });
    const listener = await bus.listen('crm.events', 'crm.customer.#');

    const unknown = await bulk(rep, 'stage', { customer_ids: [a.id], customer_stage: 'nowhere' });
    expect(unknown.status).toBe(422);
    const staged = await bulk(rep, 'stage', {
      customer_ids: [a.id, b.id, c.id, foreign.id],
      customer_stage: 'lead',
    });
    expect(staged.status).toBe(200);
    expect(staged.body).toEqual({
      updated: [a.id],
      unchanged: [b.id],
      not_found: [c.id, foreign.id],
    });

    expect((await bulk(rep, 'assign', { customer_ids: [a.id], owner_id: 'x' })).status).toBe(403);
    const manager = await tokenFor(tenant, 'manager', { sub: 'rep-1' });
    const assigned = await bulk(manager, 'assign', {
      customer_ids: [a.id, b.id, c.id],
      team_id: 'team-z',
    });
    expect(assigned.body).toEqual({ updated: [a.id, b.id], unchanged: [], not_found: [c.id] });
    const none = await bulk(manager, 'assign', { customer_ids: [a.id] });
    expect(none.status).toBe(422);

    const events = await stageAndAssignmentChanges(listener, tenant, 3);
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ['crm.customer.stage_changed.v1', a.id],
      ['crm.customer.assignment.changed.v1', a.id],
      ['crm.customer.assignment.changed.v1', b.id],
    ]);
    const customerRole = await tokenFor(tenant, 'customer', { sub: a.id });
    expect(
      (await bulk(customerRole, 'stage', { customer_ids: [a.id], customer_stage: 'new' })).status,
    ).toBe(403);
    await listener.close();
  });
});
