import { randomUUID } from 'node:crypto';
import type { Customer, Interaction, Page, Problem, TimelineEntry } from '@crm/contracts';
import { api, tokenFor, useService, waitFor } from '@crm/testing';
import { describe, expect, it } from 'vitest';
import { interactionsService } from '../services/interactions/src/service.js';
import { profilesService } from '../services/profiles/src/service.js';

const profiles = useService(profilesService);
const interactions = useService(interactionsService, {
  env: () => ({ PROFILES_URL: profiles.url }),
});
/** An interactions instance whose profiles never answers. */
const cutOff = useService(interactionsService, { env: { PROFILES_URL: 'http://127.0.0.1:9' } });
const services = { profiles, interactions };

async function createCustomer(tenant: string, ownerId: string): Promise<string> {
  const admin = await tokenFor(tenant, 'admin');
  const r = await api(services.profiles.url)
    .as(admin)
    .request<Customer>('POST', '/crm/customers', {
      body: { first_name: 'Fresh', last_name: 'Customer', owner_id: ownerId },
    });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

describe('a customer just created in profiles', () => {
  it('can be used at once in interactions, 20 times in a row', async () => {
    const tenant = randomUUID();
    const staff = await tokenFor(tenant, 'staff', { sub: 'staff-fresh' });
    const { interactions } = services;
    for (let i = 0; i < 20; i += 1) {
      const id = await createCustomer(tenant, 'staff-fresh');
      const logged = await api(interactions.url)
        .as(staff)
        .request<Interaction>('POST', `/crm/customers/${id}/interactions`, {
          body: { interaction_type: 'walk_in', subject: `Visit ${i}` },
        });
      expect(logged.status, JSON.stringify(logged.body)).toBe(201);
      const read = await api(interactions.url)
        .as(staff)
        .request<Page<TimelineEntry>>('GET', `/crm/customers/${id}/timeline`);
      expect(read.status, JSON.stringify(read.body)).toBe(200);
      expect(read.body.data.map((e) => e.summary).join(' ')).toContain(`Visit ${i}`);
    }
  });

  it('stays hidden from whom profiles hides it, and later assignments still arrive', async () => {
    const tenant = randomUUID();
    const { profiles, interactions } = services;
    const anna = await tokenFor(tenant, 'staff', { sub: 'staff-anna' });
    const ben = await tokenFor(tenant, 'staff', { sub: 'staff-ben' });
    const id = await createCustomer(tenant, 'staff-anna');
    const path = `/crm/customers/${id}/timeline`;
    expect((await api(interactions.url).as(ben).request('GET', path)).status).toBe(404);
    expect((await api(interactions.url).as(anna).request('GET', path)).status).toBe(200);
    expect(
      (
        await api(interactions.url)
          .as(anna)
          .request('GET', `/crm/customers/${randomUUID()}/timeline`)
      ).status,
    ).toBe(404);

    // The replica learnt version 1 from the lookup; the reassignment (version 2) still lands.
    const admin = await tokenFor(tenant, 'admin');
    const moved = await api(profiles.url)
      .as(admin)
      .request('PATCH', `/crm/customers/${id}`, { body: { owner_id: 'staff-ben' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await waitFor(
      async () => (await api(interactions.url).as(ben).request('GET', path)).status === 200,
      { what: 'the new owner to see the customer' },
    );
    expect((await api(interactions.url).as(anna).request('GET', path)).status).toBe(404);
  });

  it('is answered with 503, not a wrong 404, while profiles cannot be asked', async () => {
    const tenant = randomUUID();
    const anna = await tokenFor(tenant, 'staff', { sub: 'staff-anna' });
    // A customer the replica has not heard of (the created event can reach this instance
    // within milliseconds, so an id no event names keeps the replica ignorant).
    const r = await api(cutOff.url)
      .as(anna)
      .request<Problem>('GET', `/crm/customers/${randomUUID()}/interactions`);
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.code).toBe('upstream_unavailable');
    // Once the created event arrives, the replica answers without profiles.
    const id = await createCustomer(tenant, 'staff-anna');
    await waitFor(
      async () =>
        (await api(cutOff.url).as(anna).request('GET', `/crm/customers/${id}/interactions`))
          .status === 200,
      { what: 'the created event to reach the cut-off instance' },
    );
  });
});
