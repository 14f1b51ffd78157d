import type { BulkResult, Customer, Page, Tag } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, newTenant, tokenFor, useService } from '@crm/testing';
import { profilesService } from '../src/service.js';

const svc = useService(profilesService);

type Who =
  | 'admin'
  | 'manager_team'
  | 'manager_other'
  | 'staff_assigned'
  | 'staff_other'
  | 'rep_assigned'
  | 'rep_other'
  | 'customer_self'
  | 'customer_other'
  | 'other_tenant';

const EVERYONE: Who[] = [
  'admin',
  'manager_team',
  'manager_other',
  'staff_assigned',
  'staff_other',
  'rep_assigned',
  'rep_other',
  'customer_self',
  'customer_other',
  'other_tenant',
];

interface World {
  tokens: Record<Who, string>;
  customer: Customer;
  tag: Tag;
}

/** One tenant: a customer owned by staff-1 in team-a, with rep-1 collaborating. */
async function world(): Promise<World> {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin');
  const created = await api(svc.url)
    .as(admin)
    .post<Customer>(
      '/crm/customers',
      buildCustomer({
        owner_id: 'staff-1',
        team_id: 'team-a',
        collaborator_ids: ['rep-1'],
      }),
    );
  const other = await api(svc.url).as(admin).post<Customer>('/crm/customers', buildCustomer());
  const tag = await api(svc.url).as(admin).post<Tag>('/crm/tags', { name: 'VIP lounge' });
  const tokens: Record<Who, string> = {
    admin,
    manager_team: await tokenFor(tenant, 'manager', { sub: 'mgr-1', teams: ['team-a'] }),
    manager_other: await tokenFor(tenant, 'manager', { sub: 'mgr-2', teams: ['team-b'] }),
    staff_assigned: await tokenFor(tenant, 'staff', { sub: 'staff-1' }),
    staff_other: await tokenFor(tenant, 'staff', { sub: 'staff-2' }),
    rep_assigned: await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' }),
    rep_other: await tokenFor(tenant, 'sales_rep', { sub: 'rep-2' }),
    customer_self: await tokenFor(tenant, 'customer', { sub: created.body.id }),
    customer_other: await tokenFor(tenant, 'customer', { sub: other.body.id }),
    other_tenant: await tokenFor(newTenant(), 'admin'),
  };
  return { tokens, customer: created.body, tag: tag.body };
}

interface Case {
  name: string;
  method: string;
  path: (w: World) => string;
  body?: (w: World) => unknown;
  expect: Partial<Record<Who, number>>;
}

const CASES: Case[] = [
  {
    name: 'list tags',
    method: 'GET',
    path: () => '/crm/tags',
    expect: {
      admin: 200,
      manager_team: 200,
      manager_other: 200,
      staff_assigned: 200,
      staff_other: 200,
      rep_assigned: 200,
      rep_other: 200,
      customer_self: 403,
      customer_other: 403,
      other_tenant: 200,
    },
  },
  {
    name: 'create a tag',
    method: 'POST',
    path: () => '/crm/tags',
    body: () => ({ name: `t-${Math.random().toString(36).slice(2)}` }),
    expect: {
      admin: 201,
      manager_team: 201,
      manager_other: 201,
      staff_assigned: 403,
      staff_other: 403,
      rep_assigned: 403,
      rep_other: 403,
      customer_self: 403,
      customer_other: 403,
      other_tenant: 201,
    },
  },
  {
    name: 'get a tag',
    method: 'GET',
    path: (w) => `/crm/tags/${w.tag.id}`,
    expect: {
      admin: 200,
      manager_team: 200,
      staff_other: 200,
      rep_other: 200,
      customer_self: 403,
      other_tenant: 404,
    },
  },
  {
    name: 'recolour a tag',
    method: 'PATCH',
    path: (w) => `/crm/tags/${w.tag.id}`,
    body: () => ({ colour: '#123456' }),
    expect: {
      admin: 200,
      manager_other: 200,
      staff_assigned: 403,
      rep_assigned: 403,
      customer_self: 403,
      other_tenant: 404,
    },
  },
  {
    name: 'tag a customer',
    method: 'POST',
    path: (w) => `/crm/customers/${w.customer.id}/tags`,
    body: () => ({ add: ['VIP lounge'] }),
    expect: {
      admin: 200,
      manager_team: 200,
      manager_other: 404,
      staff_assigned: 403,
      staff_other: 403,
      rep_assigned: 200,
      rep_other: 404,
      customer_self: 403,
      customer_other: 403,
      other_tenant: 404,
    },
  },
  {
    name: 'bulk-tag customers',
    method: 'POST',
    path: () => '/crm/customers/bulk/tags',
    body: (w) => ({ customer_ids: [w.customer.id], remove: ['VIP lounge'] }),
    expect: {
      admin: 200,
      manager_team: 200,
      manager_other: 200,
      staff_assigned: 403,
      rep_assigned: 200,
      rep_other: 200,
      customer_self: 403,
      other_tenant: 200,
    },
  },
  {
    name: 'read the lifecycle stages',
    method: 'GET',
    path: () => '/crm/lifecycle-stages',
    expect: {
      admin: 200,
      manager_other: 200,
      staff_other: 200,
      rep_other: 200,
      customer_self: 403,
      other_tenant: 200,
    },
  },
  {
    name: 'replace the lifecycle stages',
    method: 'PUT',
    path: () => '/crm/lifecycle-stages',
    body: () => ({
      stages: [
        { key: 'new', label: 'New' },
        { key: 'won', label: 'Won' },
      ],
    }),
    expect: {
      admin: 200,
      manager_team: 403,
      staff_assigned: 403,
      rep_assigned: 403,
      customer_self: 403,
      other_tenant: 200,
    },
  },
  {
    name: 'assign collaborators',
    method: 'PATCH',
    path: (w) => `/crm/customers/${w.customer.id}`,
    body: () => ({ collaborator_ids: ['rep-1', 'staff-9'] }),
    expect: {
      admin: 200,
      manager_team: 200,
      manager_other: 404,
      staff_assigned: 403,
      rep_assigned: 403,
      customer_self: 403,
      other_tenant: 404,
    },
  },
  {
    name: 'delete a tag',
    method: 'DELETE',
    path: (w) => `/crm/tags/${w.tag.id}`,
    expect: {
      manager_team: 403,
      staff_assigned: 403,
      rep_assigned: 403,
      customer_self: 403,
      other_tenant: 404,
      admin: 204,
    },
  },
];

describe('role × route for the record, tags, stages and assignment', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const w = await world();
    const seen: Partial<Record<Who, number>> = {};
    for (const who of EVERYONE.filter((x) => c.expect[x] !== undefined)) {
      const r = await api(svc.url)
        .as(w.tokens[who])
        .request(c.method, c.path(w), { body: c.body?.(w) });
      seen[who] = r.status;
      if (who === 'other_tenant' && r.status < 300) {
        const text = JSON.stringify(r.body);
        expect(text).not.toContain(w.customer.tenant_id);
        if (c.name !== 'bulk-tag customers') expect(text).not.toContain(w.customer.id);
        if (c.name === 'bulk-tag customers') {
          expect((r.body as BulkResult).not_found).toEqual([w.customer.id]);
        }
        if (c.name === 'list tags') expect((r.body as Page<Tag>).data).toEqual([]);
      }
    }
    expect(seen).toEqual(c.expect);
  });

  it('customers of the same tenant never see another customer through the staff routes', async () => {
    const w = await world();
    const list = await api(svc.url).as(w.tokens.customer_other).request('GET', '/crm/customers');
    expect(list.status).toBe(403);
    const query = await api(svc.url)
      .as(w.tokens.customer_other)
      .request('POST', '/crm/customers/query', { body: {} });
    expect(query.status).toBe(403);
    const get = await api(svc.url)
      .as(w.tokens.customer_other)
      .request('GET', `/crm/customers/${w.customer.id}`);
    expect(get.status).toBe(403);
  });
});
