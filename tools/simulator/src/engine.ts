/**
 * Plays the model out in time order without holding the future in memory: every customer
 * is a small state machine that decides one booking at a time, the customers of a tenant
 * are merged by a heap on the time of their next fact, and tenants by another heap.
 */
import { bookingxCustomerId } from '@crm/contracts';
import {
  BOOKING_NOTES,
  CANCELLATION_REASONS,
  RESCHEDULE_REASONS,
  type BusinessKind,
  type PaymentMethod,
} from './catalogue.js';
import { Calendar, DAY, HOUR, MINUTE, SLOT_MINUTES } from './calendar.js';
import { DemandClock } from './demand.js';
import { Diary } from './diary.js';
import { MinHeap, type Keyed } from './heap.js';
import {
  MODEL,
  clamp,
  drawBehaviour,
  pickBusiness,
  pickLocale,
  planCatalogue,
  roundTo,
  seconds,
  serviceTaste,
  type BookingPlan,
  type BookingRevision,
  type CustomerBehaviour,
  type CustomerState,
  type Fact,
  type PaymentPlan,
  type PurchasePlan,
  type ServicePlan,
  type StaffPlan,
  type TenantPlan,
  type UpdateKind,
} from './model.js';
import { Directory, type Person } from './people.js';
import { Rng } from './prng.js';

export interface TenantSpec {
  index: number;
  id: string;
  customers: number;
  start: number;
  now: number;
  business: BusinessKind | undefined;
}

export interface WorldSpec {
  seed: number;
  tenants: readonly TenantSpec[];
  start: number;
  now: number;
}

export interface EngineHooks {
  /** A customer to whom nothing more will happen before `now`; their counts are final. */
  onRetire?: ((customer: CustomerState, behaviour: CustomerBehaviour) => void) | undefined;
}

export function tenantSource(tenantId: string): string {
  return `bookingx/${tenantId.slice(0, 8)}`;
}

/** Facts without further rng draws, built in place so their type stays a union member. */
type NewFact = Fact extends infer F
  ? F extends Fact
    ? Omit<F, 'seq' | 'customer' | 'next'>
    : never
  : never;

/**
 * WordPress numbers users and posts from two auto-increment counters, and leaves holes
 * (deleted spam users, post revisions, autosaves); BookingX customers are users, while
 * staff, services, bookings and payments are posts.
 */
class WordPressIds {
  private user: number;
  private post: number;

  constructor(private readonly rng: Rng) {
    this.user = rng.int(1, 4);
    this.post = rng.int(10, 60);
  }

  nextPost(): string {
    this.post += this.rng.chance(0.3) ? this.rng.int(2, 4) : 1;
    return String(this.post);
  }

  nextUser(): string {
    this.user += this.rng.chance(0.05) ? this.rng.int(2, 5) : 1;
    return String(this.user);
  }
}

/** One tenant's facts in time order, ids handed out as they are taken. */
export class TenantEngine implements Keyed {
  key = Infinity;
  readonly index: number;
  readonly plan: TenantPlan;
  private readonly rng: Rng;
  private readonly heap = new MinHeap<CustomerState>();
  private readonly arrivals: Float64Array;
  private readonly order: Uint32Array;
  private nextArrival = 0;
  private readonly diary: Diary;
  private readonly directory: Directory;
  private readonly ids: WordPressIds;
  private head: Fact | undefined;
  /** Whether the head was its customer's last fact. */
  private headLast = false;
  private clockDay = -Infinity;
  /** Scratch space of the slot search: one entry per quarter hour of a day. */
  private readonly slotMinutes = new Float64Array(96);
  private readonly slotKeys = new Float64Array(96);
  private readonly dayWeights = new Float64Array(7);

  constructor(
    root: Rng,
    private readonly spec: TenantSpec,
    demandFor: (kind: BusinessKind, monthly: readonly number[]) => DemandClock,
    private readonly hooks: EngineHooks,
  ) {
    this.index = spec.index;
    this.rng = root.fork(`tenant/${spec.id}`);
    const locale = pickLocale(this.rng);
    const business = pickBusiness(this.rng, spec.business);
    const catalogue = planCatalogue(this.rng, locale, business, spec.customers);
    this.ids = new WordPressIds(this.rng.fork('ids'));
    const services: ServicePlan[] = catalogue.services.map((s) => ({
      ...s,
      bookingxId: this.ids.nextPost(),
    }));
    const staff: StaffPlan[] = catalogue.staff.map((s) => ({
      ...s,
      bookingxId: this.ids.nextPost(),
    }));
    const staffByLocation = new Map<string, StaffPlan[]>();
    for (const s of staff)
      staffByLocation.set(s.location, [...(staffByLocation.get(s.location) ?? []), s]);
    const weights = services.map((s) => s.popularity);
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    this.plan = {
      index: spec.index,
      id: spec.id,
      source: tenantSource(spec.id),
      locale,
      business,
      calendar: new Calendar(locale.timezone, business.hours),
      demand: demandFor(business.kind, business.monthly),
      locations: catalogue.locations,
      staff,
      staffByLocation,
      services,
      serviceTaste: serviceTaste(services),
      products: catalogue.products,
      meanPriceMinor:
        services.reduce((sum, s) => sum + s.popularity * s.price.amount_minor, 0) /
        (totalWeight || 1),
      customers: spec.customers,
    };
    this.diary = new Diary(staff.length);
    this.directory = new Directory(locale);
    this.arrivals = new Float64Array(spec.customers);
    this.order = new Uint32Array(spec.customers);
    this.planArrivals();
  }

  /**
   * When each customer first appears, drawn on a stream of its own so the order of
   * arrival is known before anyone is simulated: a quarter are the existing clientele
   * (first three weeks), the rest arrive with the seasonal demand over the history.
   */
  private planArrivals(): void {
    const { start, now } = this.spec;
    const demand = this.plan.demand;
    const existingUntil = Math.min(now, start + MODEL.existingClienteleDays * DAY);
    const from = demand.at(start);
    const to = demand.at(now);
    for (let i = 0; i < this.arrivals.length; i++) {
      const r = this.rng.leaf(`customer/${String(i)}/arrival`);
      const contact = seconds(
        r.chance(MODEL.existingClientele)
          ? r.uniform(start, existingUntil)
          : demand.timeOf(r.uniform(from, to)),
      );
      this.arrivals[i] = Math.min(now, this.awake(r, contact));
      this.order[i] = i;
    }
    const at = this.arrivals;
    this.order.sort((a, b) => (at[a] ?? 0) - (at[b] ?? 0) || a - b);
  }

  /** Time of the next fact, Infinity when the tenant has nothing more. */
  peekTime(): number {
    return this.advance()?.at ?? Infinity;
  }

  /** The next fact, with its WordPress ids assigned and the truth counters updated. */
  take(): Fact | undefined {
    const fact = this.advance();
    if (!fact) return undefined;
    this.head = undefined;
    const c = fact.customer;
    switch (fact.kind) {
      case 'customer':
        if (fact.update) {
          c.version += 1;
          c.person = this.changeDetails(c);
        } else {
          c.bookingxId = this.ids.nextUser();
          c.customerId = bookingxCustomerId(this.plan.id, c.bookingxId);
        }
        fact.version = c.version;
        break;
      case 'booking': {
        const kind = fact.change.kind;
        if (fact.revision === 0) fact.booking.bookingxId = this.ids.nextPost();
        if (kind === 'created') c.counts.bookings += 1;
        else if (kind === 'rescheduled') c.counts.rescheduled += 1;
        else if (kind === 'completed') c.counts.completed += 1;
        else if (kind === 'cancelled') c.counts.cancelled += 1;
        else c.counts.noShows += 1;
        break;
      }
      case 'payment':
        if (fact.refund) {
          c.counts.refundedMinor += fact.amount.amount_minor;
        } else {
          fact.payment.bookingxId = this.ids.nextPost();
          c.counts.paidMinor += fact.amount.amount_minor;
        }
        break;
      case 'purchase':
        fact.purchase.bookingxId = this.ids.nextPost();
        c.counts.purchases += 1;
        c.counts.purchasedMinor += fact.purchase.total.amount_minor;
        break;
    }
    if (this.headLast) this.retire(c);
    return fact;
  }

  private advance(): Fact | undefined {
    while (this.head === undefined) {
      const top = this.heap.peek();
      if (this.nextArrival < this.order.length) {
        const i = this.order[this.nextArrival] ?? 0;
        const at = this.arrivals[i] ?? 0;
        if (!top || at < top.key || (at === top.key && i < top.index)) {
          this.nextArrival += 1;
          this.arrive(i, at);
          continue;
        }
      }
      if (!top) return undefined;
      const next = top.pending;
      if (next !== undefined && next.at <= top.nextCreateAt) {
        top.pending = next.next;
        next.next = undefined;
        const last = top.pending === undefined && top.nextCreateAt === Infinity;
        if (last) this.heap.pop();
        else this.rekeyTop(top);
        if (this.isVoid(next)) {
          if (last) this.retire(top);
          continue;
        }
        this.head = next;
        this.headLast = last;
      } else if (top.nextCreateAt !== Infinity) {
        this.decideBooking(top);
        this.rekeyTop(top);
      } else {
        this.heap.pop();
        this.retire(top);
      }
    }
    return this.head;
  }

  private retire(c: CustomerState): void {
    this.hooks.onRetire?.(c, this.behaviourOf(c));
  }

  /** The customer's behaviour, drawn from a stream of its own so it can be drawn again. */
  private behaviourOf(c: CustomerState): CustomerBehaviour {
    return drawBehaviour(this.rng.leaf(`customer/${String(c.index)}/behaviour`), this.plan);
  }

  private rekeyTop(c: CustomerState): void {
    c.key = Math.min(c.pending?.at ?? Infinity, c.nextCreateAt);
    this.heap.fixTop();
  }

  /** A change of details planned for after the customer had long gone never happens. */
  private isVoid(fact: Fact): boolean {
    const lapsedAt = fact.customer.lapsedAt;
    return (
      fact.kind === 'customer' &&
      fact.update &&
      lapsedAt !== undefined &&
      fact.at > lapsedAt + MODEL.updateAfterLapseDays * DAY
    );
  }

  private pend(c: CustomerState, fact: NewFact): void {
    const full: Fact = { ...fact, seq: c.seq++, customer: c, next: undefined };
    if (c.pending === undefined || full.at < c.pending.at) {
      full.next = c.pending;
      c.pending = full;
      return;
    }
    let prev = c.pending;
    while (prev.next !== undefined && prev.next.at <= full.at) prev = prev.next;
    full.next = prev.next;
    prev.next = full;
  }

  private arrive(index: number, firstContact: number): void {
    const { now } = this.spec;
    const rng = this.rng.leaf(`customer/${String(index)}`);
    const name = this.directory.name(rng);
    const person: Person = {
      ...name,
      email: this.directory.email(rng, name.first_name, name.last_name),
      phone: rng.chance(MODEL.hasPhone) ? this.directory.phone(rng) : undefined,
    };
    const c: CustomerState = {
      key: firstContact,
      index,
      tenant: this.plan,
      rng,
      firstContact,
      person,
      version: 0,
      bookingxId: '',
      customerId: '',
      lapsedAt: undefined,
      pending: undefined,
      seq: 0,
      nextCreateAt: Infinity,
      target: firstContact,
      visits: 0,
      updatesRng: undefined,
      counts: {
        bookings: 0,
        rescheduled: 0,
        completed: 0,
        cancelled: 0,
        noShows: 0,
        paidMinor: 0,
        refundedMinor: 0,
        purchases: 0,
        purchasedMinor: 0,
      },
    };
    this.pend(c, { kind: 'customer', update: false, version: 0, at: firstContact });
    const behaviour = this.behaviourOf(c);
    if (behaviour.neverBooks) {
      c.lapsedAt = firstContact;
    } else {
      const createAt = firstContact + rng.int(20, 300) * 1000;
      c.target = createAt + this.lead(rng, behaviour);
      c.nextCreateAt = createAt <= now ? createAt : Infinity;
    }
    this.planUpdates(c);
    c.key = Math.min(c.pending?.at ?? Infinity, c.nextCreateAt);
    this.heap.push(c);
  }

  /**
   * Occasional changes of phone, email or surname: one (a fifth of them two) at times
   * uniform over the customer's history; a change due after the customer has been gone
   * for the grace period is dropped (see `isVoid`).
   */
  private planUpdates(c: CustomerState): void {
    // The same stream as forking 'updates' from the customer's own, which keeps no label.
    const r = this.rng.leaf(`customer/${String(c.index)}/updates`);
    const count = r.chance(MODEL.updateOnce) ? (r.chance(MODEL.updateTwice) ? 2 : 1) : 0;
    const from = c.firstContact + HOUR;
    const until =
      c.lapsedAt === undefined
        ? this.spec.now
        : Math.min(this.spec.now, c.lapsedAt + MODEL.updateAfterLapseDays * DAY);
    if (count === 0 || until <= from) return;
    c.updatesRng = r;
    const times = Array.from({ length: count }, () => seconds(r.uniform(from, until))).sort(
      (a, b) => a - b,
    );
    for (const at of times) this.pend(c, { kind: 'customer', update: true, version: 0, at });
  }

  private changeDetails(c: CustomerState): Person {
    const rng = c.updatesRng ?? c.rng;
    const previous = c.person;
    const kind: UpdateKind =
      previous.phone === undefined ? 'phone' : rng.weighted(MODEL.updateKinds);
    const person: Person = { ...previous };
    if (kind === 'phone') person.phone = this.directory.phone(rng);
    if (kind === 'email') {
      person.email = this.directory.email(rng, person.first_name, person.last_name);
    }
    if (kind === 'last_name') {
      person.last_name = this.directory.name(rng).last_name;
      person.email = this.directory.email(rng, person.first_name, person.last_name);
    }
    return person;
  }

  private lead(rng: Rng, b: CustomerBehaviour): number {
    return clamp(
      rng.exponential(b.leadMeanDays * DAY),
      MODEL.leadMinHours * HOUR,
      MODEL.leadMaxDays * DAY,
    );
  }

  /** Time to the next visit: never much sooner than usual, sometimes much later. */
  private gapDays(rng: Rng, b: CustomerBehaviour): number {
    return MODEL.gapFloor * b.meanGapDays + rng.exponential((1 - MODEL.gapFloor) * b.meanGapDays);
  }

  /** People book online at night too, but mostly not between midnight and seven. */
  private awake(rng: Rng, at: number): number {
    const { minute } = this.plan.calendar.local(at);
    if (minute >= 7 * 60 || rng.chance(0.1)) return at;
    return at + (7 * 60 - minute + rng.int(0, 180)) * MINUTE;
  }

  /** Nothing is ever booked before the booking being decided now, so older days can go. */
  private advanceClock(at: number): void {
    const day = this.plan.calendar.local(at).day;
    if (day <= this.clockDay) return;
    this.clockDay = day;
    this.diary.forgetBefore(day - 1);
  }

  /**
   * The customer's next booking, decided whole when it is made: its slot, any
   * reschedules, its outcome and payments, and when the customer will book again.
   */
  private decideBooking(c: CustomerState): void {
    const { now } = this.spec;
    const rng = c.rng;
    const b = this.behaviourOf(c);
    const createAt = c.nextCreateAt;
    c.nextCreateAt = Infinity;
    this.advanceClock(createAt);

    const service = this.pickService(rng, b);
    const staff = this.pickStaff(rng, b);
    const booking: BookingPlan = {
      customer: c,
      service,
      staff,
      location: staff.location,
      notes: rng.chance(MODEL.notes) ? rng.pick(BOOKING_NOTES) : undefined,
      revisions: 0,
      bookingxId: '',
    };
    let start = this.slot(
      rng,
      staff.index,
      Math.max(c.target, createAt + HOUR),
      service.minutes,
      b,
    );
    const push = (change: BookingRevision) => {
      this.pend(c, {
        kind: 'booking',
        at: change.at,
        booking,
        revision: booking.revisions++,
        change,
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
        bookingxId: '',
      };
      this.pend(c, {
        kind: 'payment',
        at: depositAt,
        payment: deposit,
        refund: false,
        amount: deposit.amount,
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
          this.pend(c, {
            kind: 'payment',
            at: refundAt,
            payment: deposit,
            refund: true,
            amount: deposit.amount,
            reason: early ? 'Deposit refunded after cancellation' : 'Goodwill refund',
          });
        }
      }
      let next: number;
      if (rng.chance(MODEL.rebookAfterCancel)) {
        next = at + Math.max(10 * MINUTE, rng.exponential(MODEL.rebookAfterCancelMeanDays * DAY));
        c.target = next + this.lead(rng, b);
      } else {
        c.target = this.plan.demand.after(start, this.gapDays(rng, b));
        next = Math.max(c.target - this.lead(rng, b), at + HOUR);
      }
      next = this.awake(rng, seconds(next));
      c.nextCreateAt = next <= now ? next : Infinity;
      return;
    }

    c.visits += 1;
    let outcomeAt: number;
    let dropOut = c.visits === 1 ? b.firstVisitDropOut : b.dropOutPerVisit;
    if (roll < b.cancelRate + (1 - b.cancelRate) * b.noShowRate) {
      outcomeAt = start + Math.min(15, service.minutes) * MINUTE;
      push({ kind: 'no_show', at: outcomeAt, start, status: 'no_show' });
      dropOut *= MODEL.noShowDropOutFactor;
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
        bookingxId: '',
      };
      this.pend(c, { kind: 'payment', at: end, payment, refund: false, amount: payment.amount });
      if (rng.chance(MODEL.purchase[b.spend])) {
        const at = end + rng.int(120, 600) * 1000;
        if (at <= now) this.pend(c, { kind: 'purchase', at, purchase: this.basket(rng) });
      }
      if (rng.chance(MODEL.complaint)) {
        dropOut *= MODEL.complaintDropOutFactor;
        const share = rng.chance(MODEL.complaintFullRefund)
          ? 1
          : rng.uniform(...MODEL.complaintRefundShare);
        const refundAt = seconds(end + rng.uniform(...MODEL.complaintRefundDays) * DAY);
        const amount = Math.min(due, roundTo(due * share, 100));
        if (refundAt <= now) {
          this.pend(c, {
            kind: 'payment',
            at: refundAt,
            payment,
            refund: true,
            amount: { amount_minor: amount, currency: service.price.currency },
            reason: share === 1 ? 'Refund after complaint' : 'Partial refund after complaint',
          });
        }
      }
    }

    if (rng.chance(Math.min(0.95, dropOut))) {
      c.lapsedAt = outcomeAt;
      return;
    }
    c.target = this.plan.demand.after(start, this.gapDays(rng, b));
    const next = rng.chance(b.bookAtCheckout)
      ? end + rng.int(60, 600) * 1000
      : this.awake(rng, seconds(Math.max(c.target - this.lead(rng, b), outcomeAt + HOUR)));
    c.nextCreateAt = next <= now ? next : Infinity;
  }

  /** One or two products by popularity, now and then two of one. */
  private basket(rng: Rng): PurchasePlan {
    const { products, locale } = this.plan;
    const weights = products.map((p, i) => [i, p.popularity] as const);
    const first = rng.weighted(weights);
    const second = rng.chance(MODEL.purchaseSecondItem) ? rng.weighted(weights) : first;
    const chosen = second === first ? [first] : [first, second];
    const items = chosen.flatMap((i) => {
      const p = products[i];
      if (!p) return [];
      const quantity = rng.chance(MODEL.purchaseTwoOfAKind) ? 2 : 1;
      return [{ sku: p.sku, name: p.name, quantity, unit_price: p.price }];
    });
    const total = items.reduce((sum, i) => sum + i.quantity * i.unit_price.amount_minor, 0);
    return { items, total: { amount_minor: total, currency: locale.currency }, bookingxId: '' };
  }

  private pickService(rng: Rng, b: CustomerBehaviour): ServicePlan {
    const { services } = this.plan;
    const preferred = services[b.preferredService];
    if (preferred && rng.chance(MODEL.preferredService)) return preferred;
    return (
      services[rng.weighted(services.map((s, i) => [i, s.popularity] as const))] ??
      rng.pick(services)
    );
  }

  /** The usual staff member mostly, otherwise anyone on the team at the customer's branch. */
  private pickStaff(rng: Rng, b: CustomerBehaviour): StaffPlan {
    const { staff, staffByLocation } = this.plan;
    const preferred = staff[b.preferredStaff];
    if (preferred && rng.chance(MODEL.preferredStaff)) return preferred;
    return rng.pick(staffByLocation.get(b.preferredLocation) ?? staff);
  }

  /**
   * The first open slot on or after `earliest` with this staff member free, near the
   * customer's usual time of day, on a day the customer accepts (weekly demand); the
   * booking is entered in the diary.
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
    const minutesOf = this.slotMinutes;
    const keys = this.slotKeys;
    let fallback: { day: number; minute: number } | undefined;
    // Which day of the coming week to try first, in proportion to that weekday's demand.
    const weekly = this.plan.business.weekly;
    let sum = 0;
    for (let d = 0; d < 7; d++) {
      const open = cal.hoursOn(from.day + d);
      const fits = open !== undefined && (d > 0 || open[1] - minutes >= from.minute);
      sum += fits ? (weekly[cal.weekday(from.day + d)] ?? 0) : 0;
      this.dayWeights[d] = sum;
    }
    const r = rng.next() * sum;
    let first = 0;
    while (first < 6 && (this.dayWeights[first] ?? 0) <= r) first += 1;
    for (let d = first; d < first + MODEL.slotSearchDays; d++) {
      const day = from.day + d;
      const open = cal.hoursOn(day);
      if (!open) continue;
      let n = 0;
      for (let m = open[0]; m + minutes <= open[1]; m += SLOT_MINUTES) {
        if (d === 0 && m < from.minute) continue;
        minutesOf[n] = m;
        keys[n] = Math.abs(m - b.preferredMinute) + rng.uniform(0, 180);
        n += 1;
      }
      // The few slots nearest the preferred time, best first: a partial selection sort.
      const tries = Math.min(n, MODEL.slotsTriedPerDay);
      for (let t = 0; t < tries; t++) {
        let best = t;
        for (let j = t + 1; j < n; j++) if ((keys[j] ?? 0) < (keys[best] ?? 0)) best = j;
        const m = minutesOf[best] ?? 0;
        minutesOf[best] = minutesOf[t] ?? 0;
        keys[best] = keys[t] ?? 0;
        minutesOf[t] = m;
        fallback ??= { day, minute: m };
        if (this.diary.isFree(staff, day, m, minutes)) {
          this.diary.take(staff, day, m, minutes);
          return cal.toUtc(day, m);
        }
      }
    }
    // Two months fully booked only happens at absurd scales; a double booking beats a hang.
    if (fallback) {
      this.diary.take(staff, fallback.day, fallback.minute, minutes);
      return cal.toUtc(fallback.day, fallback.minute);
    }
    const at = Math.ceil(earliest / (SLOT_MINUTES * MINUTE)) * SLOT_MINUTES * MINUTE;
    const local = cal.local(at);
    this.diary.take(staff, local.day, local.minute, minutes);
    return at;
  }
}

/** Every tenant's facts merged by time; ties go to the lower tenant index. */
export class WorldEngine {
  readonly tenants: TenantEngine[];
  private readonly heap = new MinHeap<TenantEngine>();

  constructor(spec: WorldSpec, hooks: EngineHooks = {}) {
    const root = new Rng(`bookingx-simulator/${String(spec.seed)}`);
    const demand = new Map<BusinessKind, DemandClock>();
    const demandFor = (kind: BusinessKind, monthly: readonly number[]) => {
      let clock = demand.get(kind);
      if (!clock) {
        // Gaps reach past the present; the table covers them and extrapolates beyond.
        clock = new DemandClock(monthly, spec.start - 31 * DAY, spec.now + 400 * DAY);
        demand.set(kind, clock);
      }
      return clock;
    };
    this.tenants = spec.tenants.map((t) => new TenantEngine(root, t, demandFor, hooks));
    for (const t of this.tenants) {
      t.key = t.peekTime();
      if (t.key !== Infinity) this.heap.push(t);
    }
  }

  next(): Fact | undefined {
    const top = this.heap.peek();
    if (!top) return undefined;
    const fact = top.take();
    top.key = top.peekTime();
    if (top.key === Infinity) this.heap.pop();
    else this.heap.fixTop();
    return fact;
  }
}
