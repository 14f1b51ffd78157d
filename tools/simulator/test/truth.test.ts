import { describe, expect, it } from 'vitest';
import { bookingxCustomerId } from '@crm/contracts';
import {
  deriveTenantIds,
  openWorld,
  simulate,
  type CustomerTruth,
  type SimulatedEvent,
} from '../src/index.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const OPTIONS = {
  seed: 9,
  tenants: deriveTenantIds(9, 2),
  customers: [400, 150],
  months: 12,
  now: NOW,
};

interface Seen {
  bookings: number;
  rescheduled: number;
  completed: number;
  cancelled: number;
  no_shows: number;
  paid: number;
  refunded: number;
  purchases: number;
  purchased: number;
  lastBookingAt: number;
}

function customerOf(e: SimulatedEvent): string {
  if ('customer' in e.data) return e.data.customer.bookingx_id;
  if ('booking' in e.data) return e.data.booking.customer.bookingx_id;
  if ('purchase' in e.data) return e.data.purchase.customer.bookingx_id;
  return e.data.payment.customer.bookingx_id;
}

describe('ground truth', () => {
  const truths: CustomerTruth[] = [];
  const world = openWorld({ ...OPTIONS, onCustomer: (t) => truths.push(t) });
  const events = [...world.events()];

  const seen = new Map<string, Seen>();
  for (const e of events) {
    const key = `${e.tenantid}/${customerOf(e)}`;
    let s = seen.get(key);
    if (!s) {
      s = {
        bookings: 0,
        rescheduled: 0,
        completed: 0,
        cancelled: 0,
        no_shows: 0,
        paid: 0,
        refunded: 0,
        purchases: 0,
        purchased: 0,
        lastBookingAt: -Infinity,
      };
      seen.set(key, s);
    }
    if (e.type.startsWith('bookingx.booking.')) s.lastBookingAt = Date.parse(e.time);
    if (e.type === 'bookingx.booking.created.v1') s.bookings += 1;
    if (e.type === 'bookingx.booking.rescheduled.v1') s.rescheduled += 1;
    if (e.type === 'bookingx.booking.completed.v1') s.completed += 1;
    if (e.type === 'bookingx.booking.cancelled.v1') s.cancelled += 1;
    if (e.type === 'bookingx.booking.no_show.v1') s.no_shows += 1;
    if (e.type === 'bookingx.payment.captured.v1') s.paid += e.data.payment.amount.amount_minor;
    if (e.type === 'bookingx.payment.refunded.v1') s.refunded += e.data.payment.amount.amount_minor;
    if (e.type === 'bookingx.purchase.completed.v1') {
      s.purchases += 1;
      s.purchased += e.data.purchase.total.amount_minor;
    }
  }

  it('has one line per customer, keyed as the CRM keys them', () => {
    expect(truths).toHaveLength(550);
    const created = events.filter((e) => e.type === 'bookingx.customer.created.v1');
    expect(new Set(truths.map((t) => t.customer_id))).toEqual(
      new Set(created.map((e) => e.subject)),
    );
    for (const t of truths) {
      expect(t.customer_id).toBe(bookingxCustomerId(t.tenant_id, t.bookingx_id));
    }
  });

  it('counts exactly what the events show, per customer', () => {
    for (const t of truths) {
      const s = seen.get(`${t.tenant_id}/${t.bookingx_id}`);
      expect(s, t.customer_id).toBeDefined();
      if (!s) continue;
      expect(
        {
          bookings: t.bookings,
          rescheduled: t.rescheduled,
          completed: t.completed,
          cancelled: t.cancelled,
          no_shows: t.no_shows,
          paid: t.paid_minor,
          refunded: t.refunded_minor,
          purchases: t.purchases,
          purchased: t.purchased_minor,
        },
        t.customer_id,
      ).toEqual({
        bookings: s.bookings,
        rescheduled: s.rescheduled,
        completed: s.completed,
        cancelled: s.cancelled,
        no_shows: s.no_shows,
        paid: s.paid,
        refunded: s.refunded,
        purchases: s.purchases,
        purchased: s.purchased,
      });
      expect(t.net_paid_minor).toBe(s.paid - s.refunded);
    }
  });

  it('shows no booking activity after a customer lapsed', () => {
    const lapsed = truths.filter((t) => t.lapsed);
    expect(lapsed.length / truths.length).toBeGreaterThan(0.2);
    for (const t of lapsed) {
      const s = seen.get(`${t.tenant_id}/${t.bookingx_id}`);
      expect(s?.lastBookingAt ?? -Infinity, t.customer_id).toBeLessThanOrEqual(
        Date.parse(t.lapsed_at ?? ''),
      );
    }
    for (const t of truths.filter((x) => x.never_booked)) {
      expect(t.bookings).toBe(0);
      expect(t.lapsed_at).toBe(t.first_contact_at);
    }
  });

  it('describes each customer with the rates the model drew', () => {
    const world = simulate(OPTIONS);
    const bySegment = new Map<string, number[]>();
    for (const c of world.tenants.flatMap((t) => t.customers)) {
      expect(c.truth.segment).toBe(c.segment);
      expect(c.truth.visit_rate_per_month).toBeCloseTo(30.4375 / c.behaviour.meanGapDays, 3);
      expect(c.truth.lapsed_at).toBe(c.lapsedAt ?? null);
      bySegment.set(c.segment, [...(bySegment.get(c.segment) ?? []), c.truth.visit_rate_per_month]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    // Regulars come about monthly, occasional customers every two months, rare ones less;
    // a median of a hundred-odd log-normal draws (σ 0.3) is within about 10 %.
    const off = (segment: string, gapDays: number) =>
      Math.abs(median(bySegment.get(segment) ?? []) / (30.4375 / gapDays) - 1);
    expect(off('regular', 30)).toBeLessThan(0.12);
    expect(off('occasional', 60)).toBeLessThan(0.12);
    expect(median(bySegment.get('rare') ?? [])).toBeLessThan(0.35);
    for (const t of truths) {
      expect(t.mean_spend_minor).toBeGreaterThan(0);
      expect(['EUR', 'GBP']).toContain(t.currency);
      expect(t.drop_out_probability).toBeGreaterThan(0);
      expect(t.drop_out_probability).toBeLessThan(1);
    }
  });
});
