import {
  DAYS_PER_MONTH,
  meanSpend,
  type CustomerBehaviour,
  type CustomerState,
  type Segment,
  type Spend,
} from './model.js';

/**
 * What the model knows about one customer and analytics can only estimate: the rates the
 * customer was drawn with, and what actually happened to them up to `now`. One JSON line
 * per customer in `--truth-file`; the README documents every field.
 */
export interface CustomerTruth {
  tenant_id: string;
  /** The CRM id: `bookingxCustomerId(tenant_id, bookingx_id)`. */
  customer_id: string;
  bookingx_id: string;
  segment: Segment;
  /** Appointments wanted per average month while active, at average seasonal demand. */
  visit_rate_per_month: number;
  /** Chance of lapsing after each visit after the first (doubled after a no-show). */
  drop_out_probability: number;
  first_visit_drop_out_probability: number;
  cancel_probability: number;
  no_show_probability: number;
  reschedule_probability: number;
  spend_level: Spend;
  /** Expected bill of a completed visit (deposit and tip included), minor units. */
  mean_spend_minor: number;
  currency: string;
  first_contact_at: string;
  never_booked: boolean;
  lapsed: boolean;
  lapsed_at: string | null;
  bookings: number;
  rescheduled: number;
  completed: number;
  cancelled: number;
  no_shows: number;
  paid_minor: number;
  refunded_minor: number;
  /** paid_minor − refunded_minor: what the appointments brought in. */
  net_paid_minor: number;
  /** Retail purchases at the counter, and their total (not in the payments above). */
  purchases: number;
  purchased_minor: number;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function truthOf(c: CustomerState, b: CustomerBehaviour): CustomerTruth {
  const n = c.counts;
  return {
    tenant_id: c.tenant.id,
    customer_id: c.customerId,
    bookingx_id: c.bookingxId,
    segment: b.segment,
    visit_rate_per_month: round(DAYS_PER_MONTH / b.meanGapDays, 4),
    drop_out_probability: round(b.dropOutPerVisit, 4),
    first_visit_drop_out_probability: round(b.firstVisitDropOut, 4),
    cancel_probability: round(b.cancelRate, 4),
    no_show_probability: round(b.noShowRate, 4),
    reschedule_probability: round(b.rescheduleRate, 4),
    spend_level: b.spend,
    mean_spend_minor: meanSpend(c.tenant, b),
    currency: c.tenant.locale.currency,
    first_contact_at: new Date(c.firstContact).toISOString(),
    never_booked: b.neverBooks,
    lapsed: c.lapsedAt !== undefined,
    lapsed_at: c.lapsedAt === undefined ? null : new Date(c.lapsedAt).toISOString(),
    bookings: n.bookings,
    rescheduled: n.rescheduled,
    completed: n.completed,
    cancelled: n.cancelled,
    no_shows: n.noShows,
    paid_minor: n.paidMinor,
    refunded_minor: n.refundedMinor,
    net_paid_minor: n.paidMinor - n.refundedMinor,
    purchases: n.purchases,
    purchased_minor: n.purchasedMinor,
  };
}
