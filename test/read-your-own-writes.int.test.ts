import { randomUUID } from 'node:crypto';
import type { Customer, Interaction, Page, Problem, TimelineEntry } from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionsConfig } from '../services/interactions/src/config.js';
import { migrationsFolder as interactionsMigrations } from '../services/interactions/src/db/migrations-folder.js';
import {
  interactionsService,
  type InteractionsDeps,
} from '../services/interactions/src/service.js';
import { startProfilesAndInteractions } from './support/cluster.js';
import { call, startTestService, tokenFor, waitFor } from './support/services.js';

let services: Awaited<ReturnType<typeof startProfilesAndInteractions>>;
/** An interactions instance whose profiles never answers. */
let cutOff: RunningService<InteractionsConfig, InteractionsDeps>;

beforeAll(async () => {
  services = await startProfilesAndInteractions();
  cutOff = await startTestService(interactionsService, interactionsMigrations, {
    PROFILES_URL: 'http://127.0.0.1:9',
  });
});

afterAll(async () => {
  await cutOff.stop();
  await services.stop();
});

async function createCustomer(tenant: string, ownerId: string): Promise<string> {
  const admin = await tokenFor(tenant, 'admin');
  const r = await call<Customer>(services.profiles.url, 'POST', '/crm/customers', {
    token: admin,
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
      const logged = await call<Interaction>(
        interactions.url,
        'POST',
        `/crm/customers/${id}/interactions`,
        { token: staff, body: { interaction_type: 'walk_in', subject: `Visit ${i}` } },
      );
      expect(logged.status, JSON.stringify(logged.body)).toBe(201);
      const read = await call<Page<TimelineEntry>>(
        interactions.url,
        'GET',
        `/crm/customers/${id}/timeline`,
        { token: staff },
      );
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
    expect((await call(interactions.url, 'GET', path, { token: ben })).status).toBe(404);
    expect((await call(interactions.url, 'GET', path, { token: anna })).status).toBe(200);
    expect(
      (
        await call(interactions.url, 'GET', `/crm/customers/${randomUUID()}/timeline`, {
          token: anna,
        })
      ).status,
    ).toBe(404);

    // The replica learnt version 1 from the lookup; the reassignment (version 2) still lands.
    const admin = await tokenFor(tenant, 'admin');
    const moved = await call(profiles.url, 'PATCH', `/crm/customers/${id}`, {
      token: admin,
      body: { owner_id: 'staff-ben' },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await waitFor(
      async () => (await call(interactions.url, 'GET', path, { token: ben })).status === 200,
      { what: 'the new owner to see the customer' },
    );
    expect((await call(interactions.url, 'GET', path, { token: anna })).status).toBe(404);
  });

  it('is answered with 503, not a wrong 404, while profiles cannot be asked', async () => {
    const tenant = randomUUID();
    const id = await createCustomer(tenant, 'staff-anna');
    const anna = await tokenFor(tenant, 'staff', { sub: 'staff-anna' });
    const r = await call<Problem>(cutOff.url, 'GET', `/crm/customers/${id}/interactions`, {
      token: anna,
    });
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.code).toBe('upstream_unavailable');
    // Once the event arrives, the replica answers without profiles.
    await waitFor(
      async () =>
        (await call(cutOff.url, 'GET', `/crm/customers/${id}/interactions`, { token: anna }))
          .status === 200,
      { what: 'the created event to reach the cut-off instance' },
    );
  });
});
