import { bookingxCustomerId, type Page, type Problem, type TimelineEntry } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import {
  api,
  buildEvent,
  newTenant,
  nextBxId,
  tokenFor,
  useBus,
  useService,
  waitFor,
} from '@crm/testing';
import { profilesService } from '../../profiles/src/service.js';
import { interactionsService } from '../src/service.js';
import { booked } from './fixtures.js';

// Interactions asks profiles about customers its replica has not heard of.
const profiles = useService(profilesService);
const svc = useService(interactionsService, { env: () => ({ PROFILES_URL: profiles.url }) });
const bus = useBus();

async function timeline(tenant: string, customerId: string, query = '', token?: string) {
  return api(svc.url)
    .as(token ?? (await tokenFor(tenant, 'admin')))
    .get<Page<TimelineEntry>>(`/crm/customers/${customerId}/timeline${query}`);
}

/** Profiles' word that `customerId`, at `version`, is now assigned to `ownerId`. */
function reassigned(tenant: string, customerId: string, version: number, ownerId: string) {
  return buildEvent('crm.customer.updated.v1', {
    tenantId: tenant,
    data: {
      customer: { id: customerId, owner_id: ownerId, version },
      changed_fields: ['owner_id'],
    },
  });
}

describe('timeline from BookingX facts', () => {
  it('keeps one entry per event, newest first, and the booking state at its newest revision', async () => {
    const tenant = newTenant();
    const customerBx = nextBxId();
    const bookingBx = nextBxId();
    const customerId = bookingxCustomerId(tenant, customerBx);
    const created = buildEvent('bookingx.booking.created.v1', {
      tenantId: tenant,
      time: new Date('2026-05-01T09:00:00Z'),
      sequence: 0,
      data: {
        booking: {
          bookingx_id: bookingBx,
          customer: { bookingx_id: customerBx },
          status: 'confirmed',
          revision: 0,
        },
      },
    });
    /** The booking as it stands once moved to the 14th. */
    const rescheduled = {
      bookingx_id: bookingBx,
      customer: { bookingx_id: customerBx },
      start_at: '2026-05-14T10:00:00.000Z',
      end_at: '2026-05-14T10:45:00.000Z',
    };
    const moved = buildEvent('bookingx.booking.rescheduled.v1', {
      tenantId: tenant,
      time: new Date('2026-05-03T09:00:00Z'),
      sequence: 1,
      data: { booking: { ...rescheduled, status: 'confirmed', revision: 1 } },
    });
    const done = buildEvent('bookingx.booking.completed.v1', {
      tenantId: tenant,
      time: new Date('2026-05-14T11:00:00Z'),
      sequence: 2,
      data: { booking: { ...rescheduled, status: 'completed', revision: 2 } },
    });
    const paid = buildEvent('bookingx.payment.captured.v1', {
      tenantId: tenant,
      time: new Date('2026-05-14T11:05:00.000Z'),
      data: { payment: { booking_id: bookingBx, customer: { bookingx_id: customerBx } } },
    });

    // Out of order and duplicated, as at-least-once delivery allows.
    await bus.publish([done, created, paid, done, moved, created]);
    // Profiles learns of the customer from the same facts and adds its own entry: leave it out.
    const facts = 'kind=booking,payment';
    const page = await waitFor(
      async () => {
        const r = await timeline(tenant, customerId, `?${facts}`);
        return r.status === 200 && r.body.data.length >= 4 && r.body;
      },
      { what: 'four timeline entries' },
    );
    expect(page.data.map((e) => e.type)).toEqual([
      'bookingx.payment.captured.v1',
      'bookingx.booking.completed.v1',
      'bookingx.booking.rescheduled.v1',
      'bookingx.booking.created.v1',
    ]);
    expect(page.data[0]).toMatchObject({
      kind: 'payment',
      icon: 'credit-card',
      summary: 'Paid €45.00 by card',
    });
    expect(page.data[1]?.source).toEqual({
      service: 'bookingx',
      object_type: 'booking',
      object_id: bookingBx,
    });

    const { rows } = await svc.kit.database.pool.query<{ status: string; revision: number }>(
      'SELECT status, revision FROM interactions.bookings WHERE tenant_id = $1 AND bookingx_id = $2',
      [tenant, bookingBx],
    );
    expect(rows).toEqual([{ status: 'completed', revision: 2 }]);
    const interactions = await svc.kit.database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM interactions.interactions WHERE tenant_id = $1',
      [tenant],
    );
    expect(interactions.rows[0]?.n).toBe(4);

    const onlyPayments = await timeline(tenant, customerId, '?kind=payment');
    expect(onlyPayments.body.data).toHaveLength(1);
    const window = await timeline(
      tenant,
      customerId,
      `?${facts}&from=${encodeURIComponent('2026-05-02T00:00:00Z')}&to=${encodeURIComponent('2026-05-14T11:01:00Z')}`,
    );
    expect(window.body.data.map((e) => e.type)).toEqual([
      'bookingx.booking.completed.v1',
      'bookingx.booking.rescheduled.v1',
    ]);

    const first = await timeline(tenant, customerId, `?${facts}&limit=3`);
    expect(first.body.next_cursor).not.toBeNull();
    const second = await timeline(
      tenant,
      customerId,
      `?${facts}&limit=3&cursor=${encodeURIComponent(first.body.next_cursor ?? '')}`,
    );
    expect(second.body.data.map((e) => e.type)).toEqual(['bookingx.booking.created.v1']);
    expect(second.body.next_cursor).toBeNull();

    // Not a cursor, or well-formed base64url JSON it never issued: a time that does not parse.
    for (const cursor of [
      'not a cursor',
      Buffer.from(JSON.stringify(['the 5th of May', second.body.data[0]?.id])).toString(
        'base64url',
      ),
    ]) {
      const forged = await api(svc.url)
        .as(await tokenFor(tenant, 'admin'))
        .request<Problem>(
          'GET',
          `/crm/customers/${customerId}/timeline?cursor=${encodeURIComponent(cursor)}`,
        );
      expect(forged.status).toBe(400);
      expect(forged.body.code).toBe('invalid_cursor');
    }
  });

  it('publishes crm.interaction.recorded.v1 once per interaction', async () => {
    const tenant = newTenant();
    const listener = await bus.listen('crm.events', 'crm.interaction.recorded.v1');
    const customerBx = nextBxId();
    const booking = booked(tenant, customerBx, new Date('2026-06-01T09:00:00Z'));
    await bus.publish([booking, booking]);
    await waitFor(() => Promise.resolve(listener.events.some((e) => e.tenantid === tenant)));
    await new Promise((r) => setTimeout(r, 500));
    expect(listener.events.filter((e) => e.tenantid === tenant)).toHaveLength(1);
    await listener.close();
  });
});

describe('who may read a timeline', () => {
  it('follows the assignment replica, drops stale assignment events, and hides other tenants', async () => {
    const tenant = newTenant();
    const customerBx = nextBxId();
    const customerId = bookingxCustomerId(tenant, customerBx);
    await bus.publish([
      booked(tenant, customerBx, new Date('2026-06-01T09:00:00Z')),
      reassigned(tenant, customerId, 3, 'staff-cleo'),
      reassigned(tenant, customerId, 2, 'staff-dan'),
    ]);
    await waitFor(async () => (await timeline(tenant, customerId)).body.data.length >= 3);

    const cleo = await tokenFor(tenant, 'staff', { sub: 'staff-cleo' });
    const dan = await tokenFor(tenant, 'staff', { sub: 'staff-dan' });
    expect((await timeline(tenant, customerId, '', cleo)).status).toBe(200);
    expect((await timeline(tenant, customerId, '', dan)).status).toBe(404);
    const self = await tokenFor(tenant, 'customer', { sub: customerId });
    // A customer reads their own timeline at /crm/me/timeline; the staff route is not theirs.
    expect((await timeline(tenant, customerId, '', self)).status).toBe(403);
    expect((await api(svc.url).as(self).request('GET', '/crm/me/timeline')).status).toBe(200);
    const otherTenant = await tokenFor(newTenant(), 'admin');
    expect((await timeline(tenant, customerId, '', otherTenant)).status).toBe(404);
    const anonymous = await api(svc.url).get(`/crm/customers/${customerId}/timeline`);
    expect(anonymous.status).toBe(401);
    const bad = await timeline(tenant, customerId, '?kind=gossip');
    expect(bad.status).toBe(422);
  });
});
