import {
  bookingxCustomerId,
  type CloudEvent,
  type Customer,
  type Page,
  type Problem,
} from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildEvent, newTenant, nextBxId, tokenFor, waitFor } from '@crm/testing';
import { useProfiles } from './fixtures.js';

const { svc, bus, create } = useProfiles();

/** Every page of the list sorted by `sort`, `limit` at a time, following the cursors. */
async function allPages(token: string, sort: string, limit: number): Promise<Customer[][]> {
  const pages: Customer[][] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: { status: number; body: Page<Customer> } = await api(svc.url)
      .as(token)
      .get<Page<Customer>>(`/crm/customers?sort=${sort}&limit=${limit}${q}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.data.length).toBeLessThanOrEqual(limit);
    pages.push(page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return pages;
}

/** The order a sort must give: by the value (`null` first), ties by id, both reversed with `-`. */
function expectedOrder(
  customers: Customer[],
  value: (c: Customer) => string | null,
  descending: boolean,
): string[] {
  const key = (c: Customer) => value(c) ?? '';
  const sorted = [...customers].sort((x, y) =>
    key(x) === key(y) ? (x.id < y.id ? -1 : 1) : key(x) < key(y) ? -1 : 1,
  );
  const ids = sorted.map((c) => c.id);
  return descending ? ids.reverse() : ids;
}

/** Pages of two across every tie: the whole list in order, each customer once. */
async function expectSorted(
  token: string,
  field: string,
  customers: Customer[],
  value: (c: Customer) => string | null,
): Promise<void> {
  for (const descending of [false, true]) {
    const sort = `${descending ? '-' : ''}${field}`;
    const pages = await allPages(token, sort, 2);
    const ids = pages.flat().map((c) => c.id);
    expect(ids, sort).toEqual(expectedOrder(customers, value, descending));
    // Some page ends inside a group of equal values, so the cursor's id did the work.
    const split = pages.some((page, i) => {
      const next = pages[i + 1]?.[0];
      const last = page.at(-1);
      return next !== undefined && last !== undefined && value(next) === value(last);
    });
    expect(split, `${sort} pages across a tie`).toBe(true);
  }
}

describe('GET /crm/customers sorted', () => {
  it('by customer_status and customer_stage, both ways, ties by id across pages', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const stages = await api(svc.url)
      .as(admin)
      .get<{ data: { key: string }[] }>('/crm/lifecycle-stages');
    expect(stages.status).toBe(200);
    const [s1, s2] = stages.body.data.map((s) => s.key);
    if (!s1 || !s2) throw new Error('two lifecycle stages expected');
    const customers: Customer[] = [];
    for (const [status, stage] of [
      ['inactive', s2],
      ['active', s1],
      ['active', s2],
      ['blocked', s1],
      ['active', s1],
      ['inactive', s1],
      ['active', s2],
    ] as const) {
      customers.push(await create(admin, { customer_status: status, customer_stage: stage }));
    }
    await expectSorted(admin, 'customer_status', customers, (c) => c.customer_status);
    await expectSorted(admin, 'customer_stage', customers, (c) => c.customer_stage);

    // A cursor belongs to its sort.
    const first = await api(svc.url)
      .as(admin)
      .get<Page<Customer>>('/crm/customers?sort=customer_stage&limit=2');
    const cursor = encodeURIComponent(first.body.next_cursor ?? '');
    const wrong = await api(svc.url)
      .as(admin)
      .get<Problem>(`/crm/customers?sort=customer_status&limit=2&cursor=${cursor}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('invalid_cursor');
  });

  it('by last_booking_at, kept from completed bookings, never-booked customers first', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const visits: [string, string[]][] = [
      [nextBxId(), ['2026-05-12T10:00:00.000Z']],
      // A later visit, then a late fact about an earlier one: the last booking stays.
      [nextBxId(), ['2026-06-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z']],
      [nextBxId(), ['2026-05-12T10:00:00.000Z']],
      [nextBxId(), ['2026-05-12T10:00:00.000Z']],
      [nextBxId(), ['2026-04-02T08:30:00.000Z']],
    ];
    const events: CloudEvent[] = visits.flatMap(([bx, starts]) =>
      starts.map((start) =>
        buildEvent('bookingx.booking.completed.v1', {
          tenantId: tenant,
          data: { booking: { customer: { bookingx_id: bx }, start_at: start } },
        }),
      ),
    );
    // Booked but never completed: no last booking.
    const pending = nextBxId();
    events.push(
      buildEvent('bookingx.booking.created.v1', {
        tenantId: tenant,
        data: { booking: { customer: { bookingx_id: pending } } },
      }),
    );
    // One fact at a time, so that the late one comes after the later visit.
    for (const event of events) await bus.publish([event]);
    const booked = [...visits.map(([bx]) => bx), pending].map((bx) =>
      bookingxCustomerId(tenant, bx),
    );
    const read = (id: string) => api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
    await waitFor(
      async () => {
        const second = await read(booked[1] ?? '');
        return (
          second.body.last_booking_at === '2026-06-01T09:00:00.000Z' &&
          (await Promise.all(booked.map(read))).every((r) => r.status === 200)
        );
      },
      { what: 'the booked customers' },
    );
    const [{ n }] = (
      await svc.kit.database.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM profiles.inbox WHERE event_id = ANY($1)',
        [events.map((e) => e.id)],
      )
    ).rows as [{ n: number }];
    expect(n).toBe(events.length);
    const crm = [await create(admin), await create(admin)];
    const customers = [...(await Promise.all(booked.map(read))).map((r) => r.body), ...crm];
    expect(customers.map((c) => c.last_booking_at)).toEqual([
      '2026-05-12T10:00:00.000Z',
      '2026-06-01T09:00:00.000Z',
      '2026-05-12T10:00:00.000Z',
      '2026-05-12T10:00:00.000Z',
      '2026-04-02T08:30:00.000Z',
      null,
      null,
      null,
    ]);
    await expectSorted(admin, 'last_booking_at', customers, (c) => c.last_booking_at ?? null);

    const bad = await api(svc.url).as(admin).get<Problem>('/crm/customers?sort=last_booking');
    expect(bad.status).toBe(422);
  });
});
