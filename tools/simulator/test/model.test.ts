import {
  BOOKINGX_EVENTS,
  EnvelopeBase,
  bookingxCustomerId,
  type BookingxBooking,
} from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import {
  DEMO_TENANT_ID,
  deriveTenantIds,
  generate,
  simulate,
  type SimulatedEvent,
  type Simulation,
} from '../src/index.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const OTHER_TENANT = 'a4a1f0de-3c57-4a8e-9d1c-58e2b1a0c7f3';

const world: Simulation = simulate({
  seed: 7,
  customers: 300,
  months: 12,
  now: NOW,
  tenants: [DEMO_TENANT_ID, OTHER_TENANT],
});
const { events } = world;

type BookingEvent = Extract<SimulatedEvent, { data: { booking: BookingxBooking } }>;

function isBookingEvent(e: SimulatedEvent): e is BookingEvent {
  return e.type.startsWith('bookingx.booking.');
}

function customerOf(e: SimulatedEvent): string {
  if ('customer' in e.data) return e.data.customer.bookingx_id;
  if ('booking' in e.data) return e.data.booking.customer.bookingx_id;
  if ('purchase' in e.data) return e.data.purchase.customer.bookingx_id;
  return e.data.payment.customer.bookingx_id;
}

/** Booking events grouped per booking, in stream order. */
function bookings(): Map<string, BookingEvent[]> {
  const byBooking = new Map<string, BookingEvent[]>();
  for (const e of events) {
    if (!isBookingEvent(e)) continue;
    const key = `${e.tenantid}/${e.data.booking.bookingx_id}`;
    const list = byBooking.get(key) ?? [];
    list.push(e);
    byBooking.set(key, list);
  }
  return byBooking;
}

const OUTCOMES = new Set([
  'bookingx.booking.completed.v1',
  'bookingx.booking.cancelled.v1',
  'bookingx.booking.no_show.v1',
]);

describe('simulated BookingX stream', () => {
  it('is the same, byte for byte, for the same seed', () => {
    const options = { seed: 11, customers: 60, months: 6, now: NOW };
    expect(JSON.stringify(generate(options))).toBe(JSON.stringify(generate(options)));
  });

  it('differs for another seed', () => {
    const a = generate({ seed: 11, customers: 60, months: 6, now: NOW });
    const b = generate({ seed: 12, customers: 60, months: 6, now: NOW });
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    const idsOfA = new Set(a.map((e) => e.id));
    expect(b.filter((e) => idsOfA.has(e.id))).toEqual([]);
  });

  it('gives a tenant the same stream whether or not other tenants are simulated with it', () => {
    const alone = generate({
      seed: 7,
      customers: 300,
      months: 12,
      now: NOW,
      tenants: [OTHER_TENANT],
    });
    expect(JSON.stringify(alone)).toBe(
      JSON.stringify(events.filter((e) => e.tenantid === OTHER_TENANT)),
    );
  });

  it('validates every event against its envelope and payload contract', () => {
    const failures: string[] = [];
    for (const e of events) {
      const envelope = EnvelopeBase.safeParse(e);
      if (!envelope.success) failures.push(`${e.id} envelope: ${envelope.error.message}`);
      const payload = BOOKINGX_EVENTS[e.type].safeParse(e.data);
      if (!payload.success) failures.push(`${e.id} ${e.type}: ${payload.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(events.length).toBeGreaterThan(2000);
  });

  it('covers every BookingX event type', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(BOOKINGX_EVENTS)));
  });

  it('sets the envelope from the tenant, the customer and the simulated time', () => {
    const ids = new Set<string>();
    for (const e of events) {
      ids.add(e.id);
      expect(e.source).toBe(`bookingx/${e.tenantid.slice(0, 8)}`);
      expect(e.subject).toBe(bookingxCustomerId(e.tenantid, customerOf(e)));
      expect(Date.parse(e.time)).toBeLessThanOrEqual(NOW.getTime());
      expect(Date.parse(e.time)).toBeGreaterThanOrEqual(Date.parse(world.start));
    }
    expect(ids.size).toBe(events.length);
  });

  it('orders the stream by time across customers and tenants', () => {
    const times = events.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(events.slice(0, 200).map((e) => e.tenantid)).size).toBe(2);
  });

  it('derives the CRM customer ids from tenant and BookingX id', () => {
    for (const tenant of world.tenants) {
      expect(tenant.customers).toHaveLength(300);
      for (const c of tenant.customers) {
        expect(c.customerId).toBe(bookingxCustomerId(tenant.id, c.bookingxId));
      }
      const created = events.filter(
        (e) => e.tenantid === tenant.id && e.type === 'bookingx.customer.created.v1',
      );
      expect(new Set(created.map((e) => e.subject))).toEqual(
        new Set(tenant.customers.map((c) => c.customerId)),
      );
    }
  });

  it('creates each customer once, before anything else about them', () => {
    const seen = new Set<string>();
    for (const e of events) {
      const key = `${e.tenantid}/${customerOf(e)}`;
      if (e.type === 'bookingx.customer.created.v1') {
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      } else {
        expect(seen.has(key)).toBe(true);
      }
    }
  });

  it('keeps each booking in revision order with exactly one outcome once it is over', () => {
    let past = 0;
    let upcoming = 0;
    for (const [key, list] of bookings()) {
      expect(
        list.map((e) => e.data.booking.revision),
        key,
      ).toEqual(list.map((_, i) => i));
      expect(list.map((e) => e.sequence)).toEqual(list.map((_, i) => String(i)));
      expect(list[0]?.type).toBe('bookingx.booking.created.v1');
      for (const [i, e] of list.entries()) {
        if (e.type === 'bookingx.booking.rescheduled.v1') {
          expect(e.data.previous_start_at).toBe(list[i - 1]?.data.booking.start_at);
          expect(e.data.booking.start_at).not.toBe(e.data.previous_start_at);
        }
        if (!OUTCOMES.has(e.type)) expect(e.data.booking.status).toBe('confirmed');
      }
      const last = list.at(-1);
      if (!last) throw new Error('empty booking');
      const outcomes = list.filter((e) => OUTCOMES.has(e.type));
      if (Date.parse(last.data.booking.end_at) <= NOW.getTime()) {
        past += 1;
        expect(outcomes, key).toHaveLength(1);
        expect(outcomes[0]).toBe(last);
        expect(last.type).toBe(`bookingx.booking.${last.data.booking.status}.v1`);
      } else {
        upcoming += 1;
        expect(outcomes, key).toHaveLength(0);
      }
    }
    expect(past).toBeGreaterThan(1000);
    expect(upcoming).toBeGreaterThan(10);
  });

  it('charges every completed booking and refunds only what was captured', () => {
    const captured = new Map<string, { payment: string; amount: number; at: string }[]>();
    const outcome = new Map<string, { type: string; at: string }>();
    let deposits = 0;
    let complaints = 0;
    for (const e of events) {
      if (
        e.type === 'bookingx.booking.cancelled.v1' ||
        e.type === 'bookingx.booking.completed.v1'
      ) {
        outcome.set(`${e.tenantid}/${e.data.booking.bookingx_id}`, { type: e.type, at: e.time });
      }
      if (e.type === 'bookingx.payment.captured.v1') {
        const key = `${e.tenantid}/${e.data.payment.booking_id}`;
        const list = captured.get(key) ?? [];
        list.push({
          payment: e.data.payment.bookingx_id,
          amount: e.data.payment.amount.amount_minor,
          at: e.data.payment.occurred_at,
        });
        captured.set(key, list);
      }
      if (e.type === 'bookingx.payment.refunded.v1') {
        const key = `${e.tenantid}/${e.data.payment.booking_id}`;
        const done = outcome.get(key);
        expect(done, `refund of ${key} before the booking's outcome`).toBeDefined();
        expect(Date.parse(e.time)).toBeGreaterThan(Date.parse(done?.at ?? ''));
        const original = captured.get(key)?.find((p) => p.payment === e.data.payment.bookingx_id);
        expect(original, `refund of a payment never captured (${key})`).toBeDefined();
        if (done?.type === 'bookingx.booking.cancelled.v1') {
          deposits += 1;
          expect(e.data.payment.amount.amount_minor).toBe(original?.amount);
        } else {
          complaints += 1;
          expect(e.data.payment.amount.amount_minor).toBeGreaterThan(0);
          expect(e.data.payment.amount.amount_minor).toBeLessThanOrEqual(original?.amount ?? 0);
        }
      }
    }
    expect(deposits).toBeGreaterThan(0);
    expect(complaints).toBeGreaterThan(0);
    for (const e of events) {
      if (e.type !== 'bookingx.booking.completed.v1') continue;
      const payments = captured.get(`${e.tenantid}/${e.data.booking.bookingx_id}`) ?? [];
      expect(payments.map((p) => p.at)).toContain(e.data.booking.end_at);
      const total = payments.reduce((sum, p) => sum + p.amount, 0);
      expect(total).toBeGreaterThanOrEqual(e.data.booking.price.amount_minor);
    }
  });

  it('sells products at the counter after some completed visits', () => {
    const completedAt = new Map<string, number>();
    let purchases = 0;
    for (const e of events) {
      if (e.type === 'bookingx.booking.completed.v1') {
        completedAt.set(`${e.tenantid}/${customerOf(e)}`, Date.parse(e.data.booking.end_at));
      }
      if (e.type !== 'bookingx.purchase.completed.v1') continue;
      purchases += 1;
      const p = e.data.purchase;
      const end = completedAt.get(`${e.tenantid}/${p.customer.bookingx_id}`) ?? Infinity;
      expect(Date.parse(p.occurred_at) - end).toBeGreaterThan(0);
      expect(Date.parse(p.occurred_at) - end).toBeLessThanOrEqual(10 * 60_000);
      const sum = p.items.reduce((s, i) => s + i.quantity * i.unit_price.amount_minor, 0);
      expect(p.total.amount_minor).toBe(sum);
    }
    expect(purchases).toBeGreaterThan(50);
  });

  it('stops booking for customers who lapsed', () => {
    for (const tenant of world.tenants) {
      const lapsed = tenant.customers.filter((c) => c.lapsedAt !== undefined);
      expect(lapsed.length / tenant.customers.length).toBeGreaterThan(0.2);
      expect(lapsed.length / tenant.customers.length).toBeLessThan(0.8);
      for (const c of lapsed) {
        const later = events.filter(
          (e) =>
            e.tenantid === tenant.id &&
            e.subject === c.customerId &&
            isBookingEvent(e) &&
            Date.parse(e.time) > Date.parse(c.lapsedAt ?? ''),
        );
        expect(later, c.bookingxId).toEqual([]);
      }
    }
  });

  it('has repeat customers, one-off customers and a plausible mix of outcomes', () => {
    const perCustomer = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'bookingx.booking.created.v1') {
        perCustomer.set(e.subject ?? '', (perCustomer.get(e.subject ?? '') ?? 0) + 1);
      }
    }
    const counts = [...perCustomer.values()];
    expect(counts.filter((n) => n >= 6).length).toBeGreaterThan(20);
    expect(counts.filter((n) => n === 1).length).toBeGreaterThan(50);

    const count = (type: string) => events.filter((e) => e.type === type).length;
    const completed = count('bookingx.booking.completed.v1');
    const outcomes =
      completed + count('bookingx.booking.cancelled.v1') + count('bookingx.booking.no_show.v1');
    expect(completed / outcomes).toBeGreaterThan(0.75);
    expect(completed / outcomes).toBeLessThan(0.97);
    expect(count('bookingx.booking.rescheduled.v1')).toBeGreaterThan(0);
    expect(count('bookingx.customer.updated.v1')).toBeGreaterThan(0);
    expect(count('bookingx.payment.refunded.v1')).toBeGreaterThan(0);
  });

  it('hands out unique numeric ids per tenant, as WordPress does', () => {
    for (const tenant of world.tenants) {
      const posts = new Map<string, string>();
      const claim = (id: string, what: string) => {
        expect(id).toMatch(/^[1-9]\d*$/);
        const owner = posts.get(id);
        expect(owner === undefined || owner === what, `${id} used by ${owner} and ${what}`).toBe(
          true,
        );
        posts.set(id, what);
      };
      for (const s of tenant.staff) claim(s.bookingxId, `staff ${s.name}`);
      for (const s of tenant.services) claim(s.bookingxId, `service ${s.name}`);
      for (const e of events.filter((x) => x.tenantid === tenant.id)) {
        if ('booking' in e.data)
          claim(e.data.booking.bookingx_id, `booking ${e.data.booking.bookingx_id}`);
        if ('payment' in e.data)
          claim(e.data.payment.bookingx_id, `payment ${e.data.payment.bookingx_id}`);
        if ('purchase' in e.data)
          claim(e.data.purchase.bookingx_id, `purchase ${e.data.purchase.bookingx_id}`);
      }
      const customerIds = tenant.customers.map((c) => c.bookingxId);
      expect(new Set(customerIds).size).toBe(customerIds.length);
    }
  });

  it('gives customers unique, well-formed contact details', () => {
    for (const tenant of world.tenants) {
      const emails = new Map<string, string>();
      const phones = new Map<string, string>();
      for (const e of events) {
        if (e.tenantid !== tenant.id || !('customer' in e.data)) continue;
        const c = e.data.customer;
        expect(c.email).toMatch(/^[a-z0-9._]+@([a-z]+\.)?example\.(com|net|org)$/);
        if (c.email) {
          expect(emails.get(c.email) ?? c.bookingx_id).toBe(c.bookingx_id);
          emails.set(c.email, c.bookingx_id);
        }
        if (c.phone) {
          expect(c.phone).toMatch(/^\+(49|44)[1-9]\d{8,11}$/);
          expect(phones.get(c.phone) ?? c.bookingx_id).toBe(c.bookingx_id);
          phones.set(c.phone, c.bookingx_id);
        }
      }
      expect(emails.size).toBeGreaterThanOrEqual(300);
    }
  });

  it('never double-books a staff member', () => {
    const finals = new Map<string, BookingEvent>();
    for (const e of events) {
      if (isBookingEvent(e)) finals.set(`${e.tenantid}/${e.data.booking.bookingx_id}`, e);
    }
    const byStaff = new Map<string, { start: number; end: number }[]>();
    for (const e of finals.values()) {
      if (e.data.booking.status === 'cancelled') continue;
      const key = `${e.tenantid}/${e.data.booking.staff.id}`;
      const list = byStaff.get(key) ?? [];
      list.push({
        start: Date.parse(e.data.booking.start_at),
        end: Date.parse(e.data.booking.end_at),
      });
      byStaff.set(key, list);
    }
    for (const [staff, list] of byStaff) {
      list.sort((a, b) => a.start - b.start);
      for (let i = 1; i < list.length; i++) {
        expect(list[i]?.start, staff).toBeGreaterThanOrEqual(list[i - 1]?.end ?? 0);
      }
    }
  });

  it('derives extra tenants from the seed, the demo tenant first', () => {
    const ids = deriveTenantIds(42, 3);
    expect(ids[0]).toBe(DEMO_TENANT_ID);
    expect(new Set(ids).size).toBe(3);
    expect(deriveTenantIds(42, 3)).toEqual(ids);
    expect(deriveTenantIds(43, 3)[1]).not.toBe(ids[1]);
  });

  it('refuses nonsense options', () => {
    expect(() => generate({ customers: -1, now: NOW })).toThrow(RangeError);
    expect(() => generate({ tenants: ['not-a-uuid'], now: NOW })).toThrow(/UUID/);
    expect(() => generate({ now: NOW, start: new Date('2027-01-01T00:00:00Z') })).toThrow(
      /before now/,
    );
  });
});
