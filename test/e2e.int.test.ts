import { randomUUID } from 'node:crypto';
import type { Customer, Page, TimelineEntry } from '@crm/contracts';
import { generate, publishEvents, type SimulatedEvent } from '@crm/simulator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signDevToken } from '@crm/service-kit';
import { TEST_JWT_SECRET, api, tokenFor, waitFor } from '@crm/testing';
import { startCluster } from './cluster.js';

let cluster: Awaited<ReturnType<typeof startCluster>>;
let gatewayUrl: string;

beforeAll(async () => {
  cluster = await startCluster();
  gatewayUrl = cluster.gatewayUrl;
});

afterAll(async () => {
  await cluster.stop();
});

describe('a booking published by BookingX, read back through the gateway', () => {
  it('becomes a customer profile and timeline entries in order', async () => {
    const tenant = randomUUID();
    const events = generate({
      seed: 7,
      tenants: [tenant],
      customers: 4,
      months: 6,
      now: new Date('2026-10-01T00:00:00Z'),
    });
    await publishEvents(inject('amqpUrl'), events);

    // The customer with the most booking events makes the strongest check.
    const byCustomer = new Map<string, SimulatedEvent[]>();
    for (const e of events) {
      if (!e.subject) continue;
      byCustomer.set(e.subject, [...(byCustomer.get(e.subject) ?? []), e]);
    }
    const [customerId, own] =
      [...byCustomer.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    expect(customerId).toBeDefined();
    if (!customerId || !own) return;
    const expected = own.filter(
      (e) => e.type.startsWith('bookingx.booking.') || e.type.startsWith('bookingx.payment.'),
    );
    expect(expected.length).toBeGreaterThanOrEqual(2);

    const admin = await tokenFor(tenant, 'admin');
    const customer = await waitFor(
      async () => {
        const r = await api(gatewayUrl).as(admin).get<Customer>(`/crm/customers/${customerId}`);
        return r.status === 200 && r.body;
      },
      { what: 'the customer through the gateway', timeoutMs: 30_000 },
    );
    expect(customer.source).toBe('bookingx');
    expect(customer.tenant_id).toBe(tenant);

    const entries = await waitFor(
      async () => {
        const all: TimelineEntry[] = [];
        let cursor: string | null = null;
        do {
          const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
          const r: { status: number; body: Page<TimelineEntry> } = await api(gatewayUrl)
            .as(admin)
            .get<Page<TimelineEntry>>(
              `/crm/customers/${customerId}/timeline?kind=booking,payment&limit=20${q}`,
            );
          if (r.status !== 200) return false;
          all.push(...r.body.data);
          cursor = r.body.next_cursor;
        } while (cursor);
        return all.length >= expected.length && all;
      },
      { what: 'every booking on the timeline', timeoutMs: 30_000 },
    );

    expect(entries).toHaveLength(expected.length);
    const times = entries.map((e) => Date.parse(e.occurred_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(entries.map((e) => e.type))).toEqual(new Set(expected.map((e) => e.type)));

    // Another tenant's admin sees nothing of it.
    const stranger = await tokenFor(randomUUID(), 'admin');
    expect((await api(gatewayUrl).as(stranger).get(`/crm/customers/${customerId}`)).status).toBe(
      404,
    );
    expect(
      (await api(gatewayUrl).as(stranger).get(`/crm/customers/${customerId}/timeline`)).status,
    ).toBe(404);
  });
});

describe('a profile changed by a staff member', () => {
  it('shows that member, as the audit trail names them, on the timeline', async () => {
    const tenant = randomUUID();
    const token = await signDevToken({
      secret: TEST_JWT_SECRET,
      tenant,
      role: 'admin',
      sub: 'staff-grace',
      name: 'Grace Hopper',
    });
    const created = await api(gatewayUrl)
      .as(token)
      .request<Customer>('POST', '/crm/customers', {
        body: { first_name: 'Ada', last_name: 'Lovelace', email: `${randomUUID()}@example.com` },
      });
    expect(created.status).toBe(201);
    const updated = await api(gatewayUrl)
      .as(token)
      .request<Customer>('PATCH', `/crm/customers/${created.body.id}`, {
        body: { company_name: 'Analytical Engines' },
        headers: { 'if-match': '"1"' },
      });
    expect(updated.status).toBe(200);

    const staff = { type: 'staff', id: 'staff-grace', name: 'Grace Hopper' };
    const audit = await api(gatewayUrl)
      .as(token)
      .request<Page<{ field: string; actor: unknown }>>(
        'GET',
        `/crm/customers/${created.body.id}/audit?field=company_name`,
      );
    expect(audit.body.data[0]?.actor).toMatchObject(staff);
    const entries = await waitFor(
      async () => {
        const r = await api(gatewayUrl)
          .as(token)
          .request<Page<TimelineEntry>>(
            'GET',
            `/crm/customers/${created.body.id}/timeline?kind=customer`,
          );
        return r.status === 200 && r.body.data.length >= 2 && r.body.data;
      },
      { what: 'the created and updated entries on the timeline' },
    );
    const byType = new Map(entries.map((e) => [e.type, e]));
    expect(byType.get('crm.customer.updated.v1')?.actor).toEqual(staff);
    expect(byType.get('crm.customer.created.v1')?.actor).toEqual(staff);
  });
});
