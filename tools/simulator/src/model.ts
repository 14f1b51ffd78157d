/**
 * The generative model of a BookingX business: its catalogue, its customers and how each
 * of them books, in plain data. Pure: the same options always give the same world.
 */
import type { BookingStatus, Money } from '@crm/contracts';
import {
  BOOKING_NOTES,
  BUSINESSES,
  CANCELLATION_REASONS,
  LOCALES,
  RESCHEDULE_REASONS,
  type BusinessTemplate,
  type Locale,
  type LocaleCode,
  type PaymentMethod,
} from './catalogue.js';
import { Calendar, DAY, HOUR, MINUTE, SLOT_MINUTES } from './calendar.js';
import { Directory, type Person } from './people.js';
import { Rng } from './prng.js';

/** Every rate and probability of the model, in one place; the README explains them. */
export const MODEL = {
  locales: [
    ['de', 60],
    ['gb', 40],
  ] as const satisfies readonly (readonly [LocaleCode, number])[],
  customersPerStaff: 50,
  secondLocation: 0.2,
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
  noShowRate: 0.02,
  chronicNoShowRate: 0.15,
  chronicNoShowShare: 0.12,
  rescheduleRate: 0.1,
  secondReschedule: 0.15,
  rescheduleMaxDays: 10,
  cancelLeadMeanHours: 30,
  rebookAfterCancel: 0.5,
  rebookAfterCancelMeanDays: 2,
  noShowDropOutFactor: 2,
  depositLongServiceMinutes: 90,
  depositLongService: 0.6,
  depositOtherService: 0.1,
  depositShare: 0.25,
  refundEarlyCancelHours: 24,
  refundEarly: 0.9,
  refundLate: 0.25,
  tip: { low: 0.05, mid: 0.15, high: 0.35 },
  tipShare: [0.05, 0.15] as const,
  updateOnce: 0.15,
  updateTwice: 0.2,
  updateKinds: [
    ['phone', 45],
    ['email', 45],
    ['last_name', 10],
  ] as const satisfies readonly (readonly [UpdateKind, number])[],
  notes: 0.05,
} as const;

export type Segment = keyof typeof MODEL.segments;
export type Spend = 'low' | 'mid' | 'high';
type UpdateKind = 'phone' | 'email' | 'last_name';

export interface StaffPlan {
  index: number;
  name: string;
}

export interface ServicePlan {
  index: number;
  name: string;
  minutes: number;
  price: Money;
}

export interface CustomerBehaviour {
  segment: Segment;
  /** Mean days from one visit to the next. */
  meanGapDays: number;
  dropOutPerVisit: number;
  firstVisitDropOut: number;
  bookAtCheckout: number;
  cancelRate: number;
  noShowRate: number;
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

export interface CustomerPlan {
  tenant: TenantPlan;
  index: number;
  firstContact: number;
  behaviour: CustomerBehaviour;
  /** The customer's details over time; the first is the one they registered with. */
  versions: { at: number; person: Person }[];
  lapsedAt: number | undefined;
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
  customer: CustomerPlan;
  service: ServicePlan;
  staff: StaffPlan;
  location: string;
  notes: string | undefined;
  revisions: BookingRevision[];
}

export interface PaymentPlan {
  booking: BookingPlan;
  amount: Money;
  method: PaymentMethod;
}

/** One thing that happened, before ids and envelopes are put on it. */
export type Fact = { at: number; customer: CustomerPlan; order: number } & (
  | { kind: 'customer'; version: number }
  | { kind: 'booking'; booking: BookingPlan; revision: number }
  | { kind: 'payment'; payment: PaymentPlan; refund: boolean; occurredAt: number; reason?: string }
);

export interface TenantPlan {
  index: number;
  id: string;
  locale: Locale;
  business: BusinessTemplate;
  calendar: Calendar;
  locations: string[];
  staff: StaffPlan[];
  services: ServicePlan[];
  customers: CustomerPlan[];
  facts: Fact[];
  /** Draws the gaps between WordPress ids as they are handed out. */
  idRng: Rng;
}

export interface WorldSpec {
  seed: number;
  tenants: readonly string[];
  customers: number;
  start: number;
  now: number;
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}

/** BookingX stores times to the second. */
function seconds(at: number): number {
  return Math.floor(at / 1000) * 1000;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function planCatalogue(rng: Rng, locale: Locale, business: BusinessTemplate, customers: number) {
  const services: ServicePlan[] = business.services.map((s, index) => ({
    index,
    name: locale.code === 'de' ? s.de : s.en,
    minutes: s.minutes,
    price: {
      amount_minor: roundTo(s.price * locale.eurRate * rng.uniform(0.85, 1.25), 100),
      currency: locale.currency,
    },
  }));
  const staffCount = clamp(Math.round(customers / MODEL.customersPerStaff) + rng.int(1, 2), 2, 80);
  const names = new Set<string>();
  while (names.size < staffCount) {
    names.add(`${rng.pick(locale.firstNames)} ${rng.pick(locale.lastNames)}`);
  }
  const staff = [...names].map((name, index) => ({ index, name }));
  const first = rng.pick(locale.locations);
  const second = rng.pick(locale.locations.filter((l) => l !== first));
  const locations = rng.chance(MODEL.secondLocation) ? [first, second] : [first];
  return { services, staff, locations };
}

/** Which staff member is busy when, so the simulated diary has no double bookings. */
class Diary {
  private readonly taken = new Map<number, Set<number>>();

  private slots(staff: number): Set<number> {
    let s = this.taken.get(staff);
    if (!s) {
      s = new Set();
      this.taken.set(staff, s);
    }
    return s;
  }

  isFree(staff: number, start: number, minutes: number): boolean {
    const s = this.slots(staff);
    const first = Math.floor(start / (SLOT_MINUTES * MINUTE));
    for (let i = 0; i < minutes / SLOT_MINUTES; i++) if (s.has(first + i)) return false;
    return true;
  }

  take(staff: number, start: number, minutes: number): void {
    const s = this.slots(staff);
    const first = Math.floor(start / (SLOT_MINUTES * MINUTE));
    for (let i = 0; i < minutes / SLOT_MINUTES; i++) s.add(first + i);
  }
}

class TenantBuilder {
  readonly plan: TenantPlan;
  private readonly diary = new Diary();
  private readonly directory: Directory;

  constructor(
    private readonly rng: Rng,
    index: number,
    id: string,
    private readonly spec: WorldSpec,
  ) {
    const locale = LOCALES[rng.weighted(MODEL.locales)];
    const business = rng.pick(BUSINESSES);
    const { services, staff, locations } = planCatalogue(rng, locale, business, spec.customers);
    this.directory = new Directory(locale);
    this.plan = {
      index,
      id,
      locale,
      business,
      calendar: new Calendar(locale.timezone, business.hours),
      locations,
      staff,
      services,
      customers: [],
      facts: [],
      idRng: rng.fork('ids'),
    };
  }

  build(): TenantPlan {
    for (let i = 0; i < this.spec.customers; i++) this.customer(this.rng.fork(`customer/${i}`), i);
    return this.plan;
  }

  private behaviour(rng: Rng): CustomerBehaviour {
    const { services, staff, locations } = this.plan;
    const segment = rng.weighted(
      (Object.keys(MODEL.segments) as Segment[]).map((s) => [s, MODEL.segments[s].share] as const),
    );
    const seg = MODEL.segments[segment];
    const personal = () => rng.logNormal(1, MODEL.personalSigma);
    const spend = rng.weighted(MODEL.spend);
    const prices = services.map((s) => s.price.amount_minor).sort((a, b) => a - b);
    const median = prices[Math.floor(prices.length / 2)] ?? 1;
    const taste = MODEL.spendTaste[spend];
    const preferredService = rng.weighted(
      services.map(
        (s, i) =>
          [
            i,
            (this.plan.business.services[i]?.popularity ?? 1) *
              (s.price.amount_minor / median) ** taste,
          ] as const,
      ),
    );
    const chronic = rng.chance(MODEL.chronicNoShowShare);
    return {
      segment,
      meanGapDays: seg.medianGapDays * personal(),
      dropOutPerVisit: clamp(seg.dropOutPerVisit * personal(), 0, 0.9),
      firstVisitDropOut: clamp(seg.firstVisitDropOut * personal(), 0, 0.9),
      bookAtCheckout: seg.bookAtCheckout,
      cancelRate: clamp(MODEL.cancelRate * personal() * personal(), 0, 0.5),
      noShowRate: chronic ? MODEL.chronicNoShowRate : MODEL.noShowRate,
      rescheduleRate: clamp(MODEL.rescheduleRate * personal(), 0, 0.5),
      leadMeanDays: MODEL.leadMeanDays * personal(),
      spend,
      preferredService,
      preferredStaff: rng.int(0, staff.length - 1),
      preferredLocation: rng.pick(locations),
      preferredMinute: rng.int(8, 19) * 60,
      neverBooks: rng.chance(MODEL.neverBooks),
    };
  }

  private customer(rng: Rng, index: number): void {
    const { start, now } = this.spec;
    const behaviour = this.behaviour(rng);
    const name = this.directory.name(rng);
    const person: Person = {
      ...name,
      email: this.directory.email(rng, name.first_name, name.last_name),
      phone: rng.chance(MODEL.hasPhone) ? this.directory.phone(rng) : undefined,
    };
    const existingUntil = Math.min(now, start + MODEL.existingClienteleDays * DAY);
    const contact = seconds(
      rng.chance(MODEL.existingClientele)
        ? rng.uniform(start, existingUntil)
        : rng.uniform(start, now),
    );
    const firstContact = Math.min(now, this.awake(rng, contact));
    const customer: CustomerPlan = {
      tenant: this.plan,
      index,
      firstContact,
      behaviour,
      versions: [{ at: firstContact, person }],
      lapsedAt: undefined,
    };
    this.plan.customers.push(customer);
    const facts: Fact[] = [
      { kind: 'customer', at: customer.firstContact, customer, order: 0, version: 0 },
    ];
    if (behaviour.neverBooks) customer.lapsedAt = customer.firstContact;
    else this.visits(rng, customer, facts);
    this.updates(rng.fork('updates'), customer, facts);
    for (const [order, fact] of facts.entries()) fact.order = order;
    for (const fact of facts) this.plan.facts.push(fact);
  }

  private lead(rng: Rng, b: CustomerBehaviour): number {
    return clamp(
      rng.exponential(b.leadMeanDays * DAY),
      MODEL.leadMinHours * HOUR,
      MODEL.leadMaxDays * DAY,
    );
  }

  /** The customer's bookings, one after another, until they lapse or reach the present. */
  private visits(rng: Rng, customer: CustomerPlan, facts: Fact[]): void {
    const { now } = this.spec;
    const b = customer.behaviour;
    let createAt = customer.firstContact + rng.int(20, 300) * 1000;
    let target = createAt + this.lead(rng, b);
    let visits = 0;
    while (createAt <= now) {
      const service = this.pickService(rng, b);
      const staff = this.pickStaff(rng, b);
      const booking: BookingPlan = {
        customer,
        service,
        staff,
        location: b.preferredLocation,
        notes: rng.chance(MODEL.notes) ? rng.pick(BOOKING_NOTES) : undefined,
        revisions: [],
      };
      let start = this.slot(
        rng,
        staff.index,
        Math.max(target, createAt + HOUR),
        service.minutes,
        b,
      );
      const push = (rev: BookingRevision) => {
        booking.revisions.push(rev);
        facts.push({
          kind: 'booking',
          at: rev.at,
          customer,
          order: 0,
          booking,
          revision: booking.revisions.length - 1,
        });
      };
      push({ kind: 'created', at: createAt, start, status: 'confirmed' });
      let lastChange = createAt;

      let deposit: PaymentPlan | undefined;
      const depositAt = createAt + rng.int(60, 300) * 1000;
      const depositChance =
        service.minutes >= MODEL.depositLongServiceMinutes
          ? MODEL.depositLongService
          : MODEL.depositOtherService;
      if (rng.chance(depositChance) && depositAt <= now) {
        deposit = {
          booking,
          amount: {
            amount_minor: roundTo(service.price.amount_minor * MODEL.depositShare, 100),
            currency: service.price.currency,
          },
          method: rng.weighted<PaymentMethod>([
            ['card', 50],
            ['paypal', 25],
            ['stripe', 25],
          ]),
        };
        facts.push({
          kind: 'payment',
          at: depositAt,
          customer,
          order: 0,
          payment: deposit,
          refund: false,
          occurredAt: depositAt,
        });
      }

      let reschedules = rng.chance(b.rescheduleRate)
        ? rng.chance(MODEL.secondReschedule)
          ? 2
          : 1
        : 0;
      while (reschedules-- > 0) {
        const window = start - 2 * HOUR - (lastChange + HOUR);
        if (window <= 0) break;
        const at = this.awake(rng, seconds(lastChange + HOUR + rng.uniform(0, window)));
        if (at > now || at >= start - 2 * HOUR) break;
        const shift = rng.uniform(-1, 1) * MODEL.rescheduleMaxDays * DAY;
        const earliest = Math.max(at + 2 * HOUR, start + shift);
        const moved = this.slot(rng, staff.index, earliest, service.minutes, b);
        if (moved === start) continue;
        push({
          kind: 'rescheduled',
          at,
          start: moved,
          status: 'confirmed',
          previousStart: start,
          reason: rng.pick(RESCHEDULE_REASONS),
        });
        start = moved;
        lastChange = at;
      }

      const end = start + service.minutes * MINUTE;
      // Appointments still ahead (or under way) keep their current state.
      if (end > now) return;

      const roll = rng.next();
      if (roll < b.cancelRate) {
        const latest = start - 5 * MINUTE;
        const earliest = lastChange + 10 * MINUTE;
        let at = start - rng.exponential(MODEL.cancelLeadMeanHours * HOUR);
        if (at > latest || at < earliest) at = earliest + (latest - earliest) * rng.next();
        if (latest < earliest) at = lastChange + (start - lastChange) / 2;
        at = seconds(at);
        push({
          kind: 'cancelled',
          at,
          start,
          status: 'cancelled',
          reason: rng.pick(CANCELLATION_REASONS),
        });
        if (deposit) {
          const early = start - at >= MODEL.refundEarlyCancelHours * HOUR;
          const refundAt = at + rng.int(10, 48 * 60) * MINUTE;
          if (rng.chance(early ? MODEL.refundEarly : MODEL.refundLate) && refundAt <= now) {
            facts.push({
              kind: 'payment',
              at: refundAt,
              customer,
              order: 0,
              payment: deposit,
              refund: true,
              occurredAt: refundAt,
              reason: early ? 'Deposit refunded after cancellation' : 'Goodwill refund',
            });
          }
        }
        if (rng.chance(MODEL.rebookAfterCancel)) {
          createAt =
            at + Math.max(10 * MINUTE, rng.exponential(MODEL.rebookAfterCancelMeanDays * DAY));
          target = createAt + this.lead(rng, b);
        } else {
          target = start + this.gap(rng, b);
          createAt = Math.max(target - this.lead(rng, b), at + HOUR);
        }
        createAt = this.awake(rng, seconds(createAt));
        continue;
      }

      visits += 1;
      let outcomeAt: number;
      let dropOut = visits === 1 ? b.firstVisitDropOut : b.dropOutPerVisit;
      if (roll < b.cancelRate + (1 - b.cancelRate) * b.noShowRate) {
        outcomeAt = start + Math.min(15, service.minutes) * MINUTE;
        push({ kind: 'no_show', at: outcomeAt, start, status: 'no_show' });
        dropOut = Math.min(0.95, dropOut * MODEL.noShowDropOutFactor);
      } else {
        outcomeAt = end;
        push({ kind: 'completed', at: end, start, status: 'completed' });
        const tip = rng.chance(MODEL.tip[b.spend])
          ? roundTo(service.price.amount_minor * rng.uniform(...MODEL.tipShare), 50)
          : 0;
        const due = service.price.amount_minor - (deposit?.amount.amount_minor ?? 0) + tip;
        const payment: PaymentPlan = {
          booking,
          amount: { amount_minor: due, currency: service.price.currency },
          method: rng.weighted(this.plan.locale.paymentMethods),
        };
        facts.push({
          kind: 'payment',
          at: end,
          customer,
          order: 0,
          payment,
          refund: false,
          occurredAt: end,
        });
      }

      if (rng.chance(dropOut)) {
        customer.lapsedAt = outcomeAt;
        return;
      }
      target = start + this.gap(rng, b);
      createAt = rng.chance(b.bookAtCheckout)
        ? end + rng.int(60, 600) * 1000
        : this.awake(rng, seconds(Math.max(target - this.lead(rng, b), outcomeAt + HOUR)));
    }
  }

  /** People book online at night too, but mostly not between midnight and seven. */
  private awake(rng: Rng, at: number): number {
    const { minute } = this.plan.calendar.local(at);
    if (minute >= 7 * 60 || rng.chance(0.1)) return at;
    return at + (7 * 60 - minute + rng.int(0, 180)) * MINUTE;
  }

  /** Time to the next visit: never much sooner than usual, sometimes much later. */
  private gap(rng: Rng, b: CustomerBehaviour): number {
    const mean = b.meanGapDays * DAY;
    return MODEL.gapFloor * mean + rng.exponential((1 - MODEL.gapFloor) * mean);
  }

  private pickService(rng: Rng, b: CustomerBehaviour): ServicePlan {
    const { services } = this.plan;
    const preferred = services[b.preferredService];
    if (preferred && rng.chance(MODEL.preferredService)) return preferred;
    return (
      services[
        rng.weighted(
          services.map((_, i) => [i, this.plan.business.services[i]?.popularity ?? 1] as const),
        )
      ] ?? rng.pick(services)
    );
  }

  private pickStaff(rng: Rng, b: CustomerBehaviour): StaffPlan {
    const { staff } = this.plan;
    const preferred = staff[b.preferredStaff];
    if (preferred && rng.chance(MODEL.preferredStaff)) return preferred;
    return rng.pick(staff);
  }

  /**
   * The first open slot on or after `earliest` with this staff member free, near the
   * customer's usual time of day; the booking is entered in the diary.
   */
  private slot(
    rng: Rng,
    staff: number,
    earliest: number,
    minutes: number,
    b: CustomerBehaviour,
  ): number {
    const cal = this.plan.calendar;
    const from = cal.local(earliest);
    let fallback: number | undefined;
    for (let d = 0; d < 60; d++) {
      const day = from.day + d;
      const slots = cal.slotsOn(day, minutes).filter((m) => d > 0 || m >= from.minute);
      const ranked = slots
        .map((m) => [m, Math.abs(m - b.preferredMinute) + rng.uniform(0, 180)] as const)
        .sort((x, y) => x[1] - y[1]);
      for (const [m] of ranked.slice(0, 8)) {
        const at = cal.toUtc(day, m);
        fallback ??= at;
        if (this.diary.isFree(staff, at, minutes)) {
          this.diary.take(staff, at, minutes);
          return at;
        }
      }
    }
    // Two months fully booked only happens at absurd scales; a double booking beats a hang.
    const at = fallback ?? Math.ceil(earliest / (SLOT_MINUTES * MINUTE)) * SLOT_MINUTES * MINUTE;
    this.diary.take(staff, at, minutes);
    return at;
  }

  /** Occasional changes of phone, email or surname while the customer is still around. */
  private updates(rng: Rng, customer: CustomerPlan, facts: Fact[]): void {
    const { now } = this.spec;
    const count = rng.chance(MODEL.updateOnce) ? (rng.chance(MODEL.updateTwice) ? 2 : 1) : 0;
    const from = customer.firstContact + HOUR;
    const until = Math.min(now, (customer.lapsedAt ?? now) + 60 * DAY);
    if (count === 0 || until <= from) return;
    const times = Array.from({ length: count }, () => seconds(rng.uniform(from, until))).sort(
      (a, b) => a - b,
    );
    for (const at of times) {
      const previous = customer.versions.at(-1)?.person;
      if (!previous) return;
      const kind: UpdateKind =
        previous.phone === undefined ? 'phone' : rng.weighted(MODEL.updateKinds);
      const person: Person = { ...previous };
      if (kind === 'phone') person.phone = this.directory.phone(rng);
      if (kind === 'email')
        person.email = this.directory.email(rng, person.first_name, person.last_name);
      if (kind === 'last_name') {
        person.last_name = this.directory.name(rng).last_name;
        person.email = this.directory.email(rng, person.first_name, person.last_name);
      }
      customer.versions.push({ at, person });
      facts.push({
        kind: 'customer',
        at,
        customer,
        order: 0,
        version: customer.versions.length - 1,
      });
    }
  }
}

/** The whole simulated world: every tenant with its catalogue, customers and facts. */
export function planWorld(spec: WorldSpec): TenantPlan[] {
  const root = new Rng(`bookingx-simulator/${String(spec.seed)}`);
  return spec.tenants.map((id, index) =>
    new TenantBuilder(root.fork(`tenant/${id}`), index, id, spec).build(),
  );
}
