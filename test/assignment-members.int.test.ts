import { randomUUID } from 'node:crypto';
import { Problem, type BulkResult, type Customer } from '@crm/contracts';
import {
  api,
  buildCustomer,
  buildEvent,
  startTestService,
  tokenFor,
  useBus,
  useService,
  waitFor,
  type ApiResponse,
} from '@crm/testing';
import { describe, expect, it } from 'vitest';
import { gatewayService } from '../services/gateway/src/service.js';
import { profilesService } from '../services/profiles/src/service.js';
import { CLOSED_UPSTREAM } from './cluster.js';

const gateway = useService(gatewayService, {
  env: {
    PROFILES_URL: CLOSED_UPSTREAM,
    INTERACTIONS_URL: CLOSED_UPSTREAM,
    NOTES_TASKS_URL: CLOSED_UPSTREAM,
    COMMS_URL: CLOSED_UPSTREAM,
    SEGMENTS_URL: CLOSED_UPSTREAM,
    AUTOMATION_URL: CLOSED_UPSTREAM,
    ANALYTICS_URL: CLOSED_UPSTREAM,
  },
});
const profiles = useService(profilesService, { env: () => ({ GATEWAY_URL: gateway.url }) });
const bus = useBus();

/** A staff member's first request through the gateway: it registers them. */
async function signIn(tenant: string, sub: string, role: 'admin' | 'staff' = 'staff') {
  const token = await tokenFor(tenant, role, { sub });
  expect((await api(gateway.url).as(token).get('/crm/team')).status).toBe(200);
  return token;
}

function create(admin: string, body: Record<string, unknown>): Promise<ApiResponse<Customer>> {
  return api(profiles.url).as(admin).post<Customer>('/crm/customers', buildCustomer(body));
}

function fieldErrors(res: ApiResponse) {
  return (Problem.parse(res.body).errors ?? []).map((e) => `${e.field} ${e.code}`);
}

describe('assigning customers to members of the staff directory', () => {
  it('refuses an owner or collaborator the directory does not know with 422, naming the field', async () => {
    const tenant = randomUUID();
    const admin = await signIn(tenant, 'admin-1', 'admin');
    const ghost = await create(admin, { owner_id: 'ghost' });
    expect(ghost.status).toBe(422);
    expect(fieldErrors(ghost)).toEqual(['owner_id unknown_member']);
    const collaborators = await create(admin, { collaborator_ids: ['admin-1', 'nobody'] });
    expect(collaborators.status).toBe(422);
    expect(fieldErrors(collaborators)).toEqual(['collaborator_ids.1 unknown_member']);

    const customer = await create(admin, { owner_id: 'admin-1' });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const path = `/crm/customers/${customer.body.id}`;
    const patch = await api(profiles.url).as(admin).patch(path, { owner_id: 'ghost' });
    expect(patch.status).toBe(422);
    expect(fieldErrors(patch)).toEqual(['owner_id unknown_member']);
    const bulk = await api(profiles.url)
      .as(admin)
      .post<BulkResult>('/crm/customers/bulk/assign', {
        customer_ids: [customer.body.id],
        add_collaborators: ['ghost'],
      });
    expect(bulk.status).toBe(422);
    expect(fieldErrors(bulk)).toEqual(['add_collaborators.0 unknown_member']);
    const after = await api(profiles.url).as(admin).get<Customer>(path);
    expect(after.body).toMatchObject({ owner_id: 'admin-1', collaborator_ids: [], version: 1 });
  });

  it('accepts a member who signed in or was added a moment ago, 10 times in a row', async () => {
    const tenant = randomUUID();
    const admin = await signIn(tenant, 'admin-1', 'admin');
    for (let i = 0; i < 10; i += 1) {
      await signIn(tenant, `staff-${i}`);
      const added = await api(gateway.url)
        .as(admin)
        .post('/crm/team/members', { id: `added-${i}`, name: `Added ${i}`, role: 'sales_rep' });
      expect(added.status).toBe(201);
      const res = await create(admin, {
        owner_id: `staff-${i}`,
        collaborator_ids: [`added-${i}`],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });

  it('refuses a deactivated member, and a stale event does not bring them back', async () => {
    const tenant = randomUUID();
    const admin = await signIn(tenant, 'admin-1', 'admin');
    await signIn(tenant, 'leaver');
    expect((await create(admin, { owner_id: 'leaver' })).status).toBe(201);
    const off = await api(gateway.url).as(admin).patch('/crm/team/members/leaver', {
      active: false,
    });
    expect(off.status).toBe(200);
    const refused = await waitFor(
      async () => {
        const res = await create(admin, { owner_id: 'leaver' });
        return res.status === 422 && res;
      },
      { what: 'the deactivation to reach profiles' },
    );
    expect(fieldErrors(refused)).toEqual(['owner_id unknown_member']);
    expect(Problem.parse(refused.body).errors?.[0]?.message).toContain('deactivated');

    // Published out of order: the older, active version arrives after the newer one.
    const member = (id: string, active: boolean, version: number) =>
      buildEvent('crm.team.member.changed.v1', {
        tenantId: tenant,
        sequence: version,
        data: { member: { id, active, version } },
      });
    await bus.publish([
      member('moved-on', false, 2),
      member('moved-on', true, 1),
      member('marker', true, 1),
    ]);
    await waitFor(async () => (await create(admin, { owner_id: 'marker' })).status === 201, {
      what: 'the events to reach profiles',
    });
    const stale = await create(admin, { owner_id: 'moved-on' });
    expect(stale.status).toBe(422);
    expect(fieldErrors(stale)).toEqual(['owner_id unknown_member']);
  });

  it('answers 503, never a wrong 422, when the gateway cannot be asked about a new member', async () => {
    const tenant = randomUUID();
    const cutOff = await startTestService(profilesService, {
      env: { GATEWAY_URL: 'http://127.0.0.1:9' },
    });
    try {
      const admin = await tokenFor(tenant, 'admin', { sub: 'admin-1' });
      const res = await api(cutOff.service.url)
        .as(admin)
        .post('/crm/customers', buildCustomer({ owner_id: 'someone-new' }));
      expect(res.status).toBe(503);
      expect(Problem.parse(res.body).code).toBe('upstream_unavailable');
    } finally {
      await cutOff.stop();
    }
  });
});
