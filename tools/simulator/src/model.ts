/**
 * The generative model of a BookingX business: its catalogue, its customers and how each
 * of them behaves, in plain data. The engine (`engine.ts`) plays it out in time order.
 */
import type { BookingStatus, Money } from '@crm/contracts';
import {
  BUSINESSES,
  LOCALES,
  type BusinessKind,
  type BusinessTemplate,
  type Locale,
  type LocaleCode,
  type PaymentMethod,
} from './catalogue.js';
import type { Calendar } from './calendar.js';
import type { DemandClock } from './demand.js';
import type { Person } from './people.js';
import type { Rng } from './prng.js';

/** Every rate and probability of the model, in one place; the README explains them. */
export const MODEL = {
  locales: [
    ['de', 60],
    ['gb', 40],
  ] as const satisfies readonly (readonly [LocaleCode, number])[],
  customersPerStaff: 50,
  secondLocation: 0.2,
  /** Above this many staff a business is a chain, with one branch per `staffPerBranch`. */
  chainFromStaff: 20,
  staffPerBranch: 15,
  /** Tenant sizes: rank-size (Zipf) exponent and the log-normal spread around it. */
  tenantSizeExponent: 1,
  tenantSizeSigma: 0.25,
  segments: {
    regular: {
      share: 25,
      medianGapDays: 30,
      dropOutPerVisit: 0.03,
      firstVisitDropOut: 0.05,
      bookAtCheckout: 0.4,
    },
    occasional: {
      share: 45,
      medianGapDays: 60,
      dropOutPerVisit: 0.08,
      firstVisitDropOut: 0.25,
      bookAtCheckout: 0.1,
    },
    rare: {
      share: 30,
      medianGapDays: 110,
      dropOutPerVisit: 0.18,
      firstVisitDropOut: 0.5,
      bookAtCheckout: 0,
    },
  },
  /** Spread (log-normal sigma) of a customer's own rates around the segment's. */
  personalSigma: 0.3,
  /** Share of the mean gap that always passes between visits; the rest is exponential. */
  gapFloor: 0.4,
  existingClientele: 0.25,
  existingClienteleDays: 21,
  neverBooks: 0.04,
  hasPhone: 0.85,
  leadMeanDays: 6,
  leadMinHours: 2,
  leadMaxDays: 45,
  spend: [
    ['low', 30],
    ['mid', 50],
    ['high', 20],
  ] as const satisfies readonly (readonly [Spend, number])[],
  /** Exponent on (price / median price) in a customer's taste for services. */
  spendTaste: { low: -1, mid: 0, high: 1.2 },
  preferredService: 0.8,
  preferredStaff: 0.75,
  cancelRate: 0.07,
  maxCancelRate: 0.5,
  noShowRate: 0.02,
  chronicNoShowRate: 0.15,
  chronicNoShowShare: 0.12,
  rescheduleRate: 0.1,
  maxRescheduleRate: 0.5,
  secondReschedule: 0.15,
  rescheduleMaxDays: 10,
  cancelLeadMeanHours: 30,
  rebookAfterCancel: 0.5,
  rebookAfterCancelMeanDays: 2,
  noShowDropOutFactor: 2,
  maxDropOut: 0.9,
  depositLongServiceMinutes: 90,
  depositLongService: 0.6,
  depositOtherService: 0.1,
  depositShare: 0.25,
  refundEarlyCancelHours: 24,
  refundEarly: 0.9,
  refundLate: 0.25,
  tip: { low: 0.05, mid: 0.15, high: 0.35 },
  tipShare: [0.05, 0.15] as const,
  /** A completed visit the customer complains about: part or all of the bill comes back. */
  complaint: 0.015,
  complaintFullRefund: 0.3,
  complaintRefundShare: [0.2, 0.6] as const,
  complaintRefundDays: [1, 14] as const,
  complaintDropOutFactor: 3,
  /** Retail products bought at the counter after a completed visit, by spend level. */
  purchase: { low: 0.05, mid: 0.1, high: 0.2 },
  purchaseSecondItem: 0.25,
  purchaseTwoOfAKind: 0.15,
  updateOnce: 0.15,
  updateTwice: 0.2,
  /** Details still change this long after a customer lapsed; later changes never happen. */
  updateAfterLapseDays: 60,
  updateKinds: [
    ['phone', 45],
    ['email', 45],
    ['last_name', 10],
  ] as const satisfies readonly (readonly [UpdateKind, number])[],
  notes: 0.05,
  /** Slot search: days ahead, and slots near the preferred time tried per day. */
  slotSearchDays: 60,
  slotsTriedPerDay: 8,
} as const;

export type Segment = keyof typeof MODEL.segments;
export type Spend = 'low' | 'mid' | 'high';
export type UpdateKind = 'phone' | 'email' | 'last_name';

export const SEGMENTS = Object.keys(MODEL.segments) as Segment[];

/** 365.25 / 12: the average month, for rates per month. */
export const DAYS_PER_MONTH = 30.4375;

export interface StaffPlan {
  index: number;
  name: string;
  location: string;
  bookingxId: string;
}

export interface ServicePlan {
  index: number;
  name: string;
  minutes: number;
  price: Money;
  popularity: number;
  bookingxId: string;
}

export interface ProductPlan {
  sku: string;
  name: string;
  price: Money;
  popularity: number;
}

export interface PurchasePlan {
  items: { sku: string; name: string; quantity: number; unit_price: Money }[];
  total: Money;
  /** Handed out when the purchase is published (a WooCommerce order is a post too). */
  bookingxId: string;
}

export interface CustomerBehaviour {
  segment: Segment;
  /** Mean days from one visit to the next, in demand days (see `DemandClock`). */
  meanGapDays: number;
  dropOutPerVisit: number;
  firstVisitDropOut: number;
  bookAtCheckout: number;
  cancelRate: number;
  noShowRate: number;
  chronicNoShow: boolean;
  rescheduleRate: number;
  /** Mean days between making a booking and the appointment. */
  leadMeanDays: number;
  spend: Spend;
  preferredService: number;
  preferredStaff: number;
  preferredLocation: string;
  /** Minute of the local day the customer likes to come in. */
  preferredMinute: number;
  neverBooks: boolean;
}

export type BookingEventKind = 'created' | 'rescheduled' | 'completed' | 'cancelled' | 'no_show';

export interface BookingRevision {
  kind: BookingEventKind;
  at: number;
  start: number;
  status: BookingStatus;
  previousStart?: number | undefined;
  reason?: string | undefined;
}

export interface BookingPlan {
  customer: CustomerState;
  service: ServicePlan;
  staff: StaffPlan;
  location: string;
  notes: string | undefined;
  /** Revisions decided so far; each is carried by its own fact. */
  revisions: number;
  /** Handed out when the booking is first published. */
  bookingxId: string;
}

export interface PaymentPlan {
  booking: BookingPlan;
  amount: Money;
  method: PaymentMethod;
  /** Handed out when the payment is first published. */
  bookingxId: string;
}

/**
 * One thing that will happen, before ids and envelopes are put on it. `next` chains a
 * customer's pending facts in time order without an array per customer.
 */
export type Fact = { at: number; seq: number; customer: CustomerState; next: Fact | undefined } & (
  | { kind: 'customer'; update: boolean; version: number }
  | { kind: 'booking'; booking: BookingPlan; revision: number; change: BookingRevision }
  | { kind: 'payment'; payment: PaymentPlan; refund: boolean; amount: Money; reason?: string }
  | { kind: 'purchase'; purchase: PurchasePlan }
);

/** What the ground truth counts, as the customer's events go out. */
export interface CustomerCounts {
  bookings: number;
  rescheduled: number;
  completed: number;
  cancelled: number;
  noShows: number;
  paidMinor: number;
  refundedMinor: number;
  purchases: number;
  purchasedMinor: number;
}

/**
 * One customer while anything can still happen to them: where their bookings stand and
 * the facts already decided but not yet due. Their behaviour is not kept: it is a pure
 * function of the seed and the customer (`behaviourOf`), redrawn when a booking is
 * decided. Under a kilobyte, and only customers between first contact and their last
 * event are held in memory.
 */
export interface CustomerState {
  /** Heap key: the time of the customer's next fact or next booking decision. */
  key: number;
  readonly index: number;
  readonly tenant: TenantPlan;
  readonly rng: Rng;
  readonly firstContact: number;
  person: Person;
  /** The customer's version: 0 at registration, +1 per change of details. */
  version: number;
  bookingxId: string;
  customerId: string;
  lapsedAt: number | undefined;
  /** Facts already decided, chained by (at, seq). */
  pending: Fact | undefined;
  seq: number;
  /** When the next booking is made; Infinity once no further booking will be. */
  nextCreateAt: number;
  /** The time the customer would like their next appointment. */
  target: number;
  visits: number;
  updatesRng: Rng | undefined;
  counts: CustomerCounts;
}

export interface TenantPlan {
  index: number;
  id: string;
  source: string;
  locale: Locale;
  business: BusinessTemplate;
  calendar: Calendar;
  demand: DemandClock;
  locations: string[];
  staff: StaffPlan[];
  staffByLocation: Map<string, StaffPlan[]>;
  services: ServicePlan[];
  /** Per spend level, each service's weight in the choice of a preferred service. */
  serviceTaste: Record<Spend, readonly (readonly [number, number])[]>;
  products: ProductPlan[];
  /** Popularity-weighted mean price, for the expected spend. */
  meanPriceMinor: number;
  customers: number;
}

export function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** BookingX stores times to the second. */
export function seconds(at: number): number {
  return Math.floor(at / 1000) * 1000;
}

export function pickBusiness(rng: Rng, override: BusinessKind | undefined): BusinessTemplate {
  const drawn = rng.pick(BUSINESSES);
  if (override === undefined) return drawn;
  const template = BUSINESSES.find((b) => b.kind === override);
  if (!template) throw new RangeError(`unknown business kind ${override}`);
  return template;
}

export function pickLocale(rng: Rng): Locale {
  return LOCALES[rng.weighted(MODEL.locales)];
}

/** Staff names unique within the tenant; a middle initial once the name lists run out. */
function staffNames(rng: Rng, locale: Locale, count: number): string[] {
  const names = new Set<string>();
  const initials = 'ABCDEFGHIJKLMNOPRSTUVW';
  let misses = 0;
  while (names.size < count) {
    const first = rng.pick(locale.firstNames);
    const last = rng.pick(locale.lastNames);
    const plain = `${first} ${last}`;
    const name =
      misses < 20 ? plain : `${first} ${initials.charAt(rng.int(0, initials.length - 1))}. ${last}`;
    if (names.has(name)) {
      misses += 1;
      continue;
    }
    misses = 0;
    names.add(name);
  }
  return [...names];
}

/** The business's own branch names: the locale's neighbourhoods, then numbered branches. */
function branchNames(rng: Rng, locale: Locale, count: number): string[] {
  const first = rng.pick(locale.locations);
  const ordered = [first, ...locale.locations.filter((l) => l !== first)];
  return Array.from({ length: count }, (_, i) => {
    const base = ordered[i % ordered.length] ?? first;
    const round = Math.floor(i / ordered.length);
    return round === 0 ? base : `${base} ${String(round + 1)}`;
  });
}

export function planCatalogue(
  rng: Rng,
  locale: Locale,
  business: BusinessTemplate,
  customers: number,
): {
  services: Omit<ServicePlan, 'bookingxId'>[];
  staff: Omit<StaffPlan, 'bookingxId'>[];
  locations: string[];
  products: ProductPlan[];
} {
  const services = business.services.map((s, index) => ({
    index,
    name: locale.code === 'de' ? s.de : s.en,
    minutes: s.minutes,
    popularity: s.popularity,
    price: {
      amount_minor: roundTo(s.price * locale.eurRate * rng.uniform(0.85, 1.25), 100),
      currency: locale.currency,
    },
  }));
  const staffCount = Math.max(2, Math.round(customers / MODEL.customersPerStaff) + rng.int(1, 2));
  const names = staffNames(rng, locale, staffCount);
  const branches =
    staffCount > MODEL.chainFromStaff
      ? Math.ceil(staffCount / MODEL.staffPerBranch)
      : rng.chance(MODEL.secondLocation)
        ? 2
        : 1;
  const locations = branchNames(rng, locale, branches);
  const staff = names.map((name, index) => ({
    index,
    name,
    location: locations[index % locations.length] ?? '',
  }));
  const products = business.products.map((p) => ({
    sku: p.sku,
    name: locale.code === 'de' ? p.de : p.en,
    price: { amount_minor: roundTo(p.price * locale.eurRate, 10), currency: locale.currency },
    popularity: p.popularity,
  }));
  return { services, staff, locations, products };
}

/**
 * Each service's weight in a customer's choice of a preferred service, by spend level:
 * popularity × (price / median price) ^ taste.
 */
export function serviceTaste(
  services: readonly Omit<ServicePlan, 'bookingxId'>[],
): Record<Spend, readonly (readonly [number, number])[]> {
  const prices = services.map((s) => s.price.amount_minor).sort((a, b) => a - b);
  const median = prices[Math.floor(prices.length / 2)] ?? 1;
  const weights = (spend: Spend) =>
    services.map(
      (s, i) =>
        [i, s.popularity * (s.price.amount_minor / median) ** MODEL.spendTaste[spend]] as const,
    );
  return { low: weights('low'), mid: weights('mid'), high: weights('high') };
}

const SEGMENT_SHARES = SEGMENTS.map((s) => [s, MODEL.segments[s].share] as const);

/** A customer's personal behaviour: the same every time for the same stream. */
export function drawBehaviour(rng: Rng, tenant: TenantPlan): CustomerBehaviour {
  const { locations, staffByLocation } = tenant;
  const segment = rng.weighted(SEGMENT_SHARES);
  const seg = MODEL.segments[segment];
  const personal = () => rng.logNormal(1, MODEL.personalSigma);
  const spend = rng.weighted(MODEL.spend);
  const preferredService = rng.weighted(tenant.serviceTaste[spend]);
  const chronic = rng.chance(MODEL.chronicNoShowShare);
  const meanGapDays = seg.medianGapDays * personal();
  const dropOutPerVisit = clamp(seg.dropOutPerVisit * personal(), 0, MODEL.maxDropOut);
  const firstVisitDropOut = clamp(seg.firstVisitDropOut * personal(), 0, MODEL.maxDropOut);
  const cancelRate = clamp(MODEL.cancelRate * personal() * personal(), 0, MODEL.maxCancelRate);
  const rescheduleRate = clamp(MODEL.rescheduleRate * personal(), 0, MODEL.maxRescheduleRate);
  const leadMeanDays = MODEL.leadMeanDays * personal();
  const preferredLocation = rng.pick(locations);
  const team = staffByLocation.get(preferredLocation) ?? tenant.staff;
  const preferredStaff = rng.pick(team).index;
  return {
    segment,
    meanGapDays,
    dropOutPerVisit,
    firstVisitDropOut,
    bookAtCheckout: seg.bookAtCheckout,
    cancelRate,
    noShowRate: chronic ? MODEL.chronicNoShowRate : MODEL.noShowRate,
    chronicNoShow: chronic,
    rescheduleRate,
    leadMeanDays,
    spend,
    preferredService,
    preferredStaff,
    preferredLocation,
    preferredMinute: rng.int(8, 19) * 60,
    neverBooks: rng.chance(MODEL.neverBooks),
  };
}

/**
 * The expected bill of one completed visit: the preferred service with its share, any
 * service by popularity otherwise, plus the expected tip (mean share of the price).
 */
export function meanSpend(tenant: TenantPlan, b: CustomerBehaviour): number {
  const preferred = tenant.services[b.preferredService]?.price.amount_minor ?? 0;
  const price =
    MODEL.preferredService * preferred + (1 - MODEL.preferredService) * tenant.meanPriceMinor;
  const tipShare = (MODEL.tipShare[0] + MODEL.tipShare[1]) / 2;
  return Math.round(price * (1 + MODEL.tip[b.spend] * tipShare));
}

/**
 * Splits a total number of customers over tenants the way business sizes fall: the
 * tenant of rank r gets a share proportional to r^-s (Zipf, s = 1) times a log-normal
 * factor from the seed, rounded by largest remainder so the sizes add up to the total.
 */
export function splitCustomers(rng: Rng, total: number, tenants: number): number[] {
  if (tenants <= 0) return [];
  const weights = Array.from(
    { length: tenants },
    (_, i) => (i + 1) ** -MODEL.tenantSizeExponent * Math.exp(MODEL.tenantSizeSigma * rng.normal()),
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  // Every tenant gets one customer first when there are enough, so none is empty.
  const base = total >= tenants ? 1 : 0;
  const rest = total - base * tenants;
  const exact = weights.map((w) => (rest * w) / sum);
  const sizes = exact.map((x) => base + Math.floor(x));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => [i, x - Math.floor(x)] as const)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i] of byRemainder) {
    if (left <= 0) break;
    sizes[i] = (sizes[i] ?? 0) + 1;
    left -= 1;
  }
  return sizes;
}
