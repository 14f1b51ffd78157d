import type { Money } from '@crm/contracts';
import { v5 as uuidv5 } from 'uuid';
import { BUSINESS_KINDS, type BusinessKind } from './catalogue.js';
import { WorldEngine, type TenantSpec } from './engine.js';
import { EventFactory, SIMULATOR_NAMESPACE, type SimulatedEvent } from './events.js';
import {
  splitCustomers as split,
  type CustomerBehaviour,
  type CustomerState,
  type Segment,
  type Spend,
} from './model.js';
import { Rng } from './prng.js';
import { truthOf, type CustomerTruth } from './truth.js';

/** The tenant the quick-start demo data belong to. */
export const DEMO_TENANT_ID = '0b9c1c4e-5d2a-4f57-9a43-6f1f6d3c2a10';

export const DEFAULT_SEED = 42;
export const DEFAULT_CUSTOMERS = 200;
export const DEFAULT_MONTHS = 12;

export interface SimulationOptions {
  /** Same seed, same options: the same events, byte for byte. Default 42. */
  seed?: number;
  /** Tenant UUIDs, each a separate BookingX business. Default: the demo tenant. */
  tenants?: readonly string[];
  /**
   * Customers of each tenant (one number for all), or one count per tenant in the order
   * of `tenants` (see `splitCustomers`). Default 200.
   */
  customers?: number | readonly number[];
  /** Months of history before `now`. Default 12. */
  months?: number;
  /** The simulated present: nothing happens after it. Default: the real current time. */
  now?: Date;
  /** Start of the history. Default: `months` before `now`. */
  start?: Date;
  /** Every tenant runs this kind of business instead of one drawn from the seed. */
  business?: BusinessKind;
}

export interface StreamOptions extends SimulationOptions {
  /**
   * Per tenant id, how many of that tenant's first events to generate without yielding:
   * a resumed run skips what an earlier run already delivered.
   */
  skip?: Readonly<Record<string, number>>;
  /** Called once per customer, when nothing more will happen to them before `now`. */
  onCustomer?: (truth: CustomerTruth) => void;
}

export interface SimulatedStaff {
  bookingxId: string;
  name: string;
  location: string;
}

export interface SimulatedService {
  bookingxId: string;
  name: string;
  durationMinutes: number;
  price: Money;
}

/** A tenant as known before any event is generated. */
export interface TenantSummary {
  id: string;
  source: string;
  business: BusinessKind;
  currency: string;
  timezone: string;
  locations: string[];
  staff: SimulatedStaff[];
  services: SimulatedService[];
  customerCount: number;
}

export interface SimulatedCustomer {
  bookingxId: string;
  /** The CRM id every service keys this customer by. */
  customerId: string;
  firstContactAt: string;
  /** When the customer stopped coming back, if they did. */
  lapsedAt: string | undefined;
  segment: Segment;
  spend: Spend;
  behaviour: Omit<CustomerBehaviour, 'preferredService' | 'preferredStaff'>;
  preferredServiceId: string;
  preferredStaffId: string;
  truth: CustomerTruth;
}

export interface SimulatedTenant extends TenantSummary {
  customers: SimulatedCustomer[];
}

export interface Simulation {
  seed: number;
  start: string;
  now: string;
  tenants: SimulatedTenant[];
  /** Ordered by time across customers; one booking's events always in revision order. */
  events: SimulatedEvent[];
}

/** A simulation opened for streaming: tenants are known, events come one at a time. */
export interface World {
  seed: number;
  start: string;
  now: string;
  tenants: TenantSummary[];
  /** The events in time order; a generator, so only the customers in play are in memory. */
  events(): Generator<SimulatedEvent, void, undefined>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The demo tenant first, then tenants derived from the seed. */
export function deriveTenantIds(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    i === 0 ? DEMO_TENANT_ID : uuidv5(`tenant/${String(seed)}/${String(i)}`, SIMULATOR_NAMESPACE),
  );
}

/**
 * A total number of customers split over `tenants` businesses with a long tail: a few
 * large, many small (rank-size rule with a seeded spread); the sizes add up to `total`.
 */
export function splitCustomers(seed: number, total: number, tenants: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`total must be a whole number, got ${total}`);
  }
  return split(new Rng(`bookingx-simulator/${String(seed)}/tenant-sizes`), total, tenants);
}

function monthsBefore(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

interface Resolved {
  seed: number;
  start: Date;
  now: Date;
  tenants: TenantSpec[];
}

function resolve(options: SimulationOptions): Resolved {
  const seed = options.seed ?? 42;
  const months = options.months ?? DEFAULT_MONTHS;
  const tenants = options.tenants ?? [DEMO_TENANT_ID];
  const now = options.now ?? new Date();
  const start = options.start ?? monthsBefore(now, months);
  const customers = options.customers ?? DEFAULT_CUSTOMERS;
  const counts = typeof customers === 'number' ? tenants.map(() => customers) : [...customers];

  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (counts.length !== tenants.length) {
    throw new RangeError(`${counts.length} customer counts for ${tenants.length} tenants`);
  }
  for (const n of counts) {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`customers must be a whole number, got ${n}`);
    }
  }
  if (!(months > 0)) throw new RangeError(`months must be positive, got ${months}`);
  if (Number.isNaN(now.getTime()) || Number.isNaN(start.getTime()) || start >= now) {
    throw new RangeError('start must be a valid time before now');
  }
  for (const t of tenants) {
    if (!UUID.test(t)) throw new RangeError(`tenant ${t} is not a UUID`);
  }
  if (new Set(tenants.map((t) => t.toLowerCase())).size !== tenants.length) {
    throw new RangeError('tenants repeat');
  }
  if (options.business !== undefined && !BUSINESS_KINDS.includes(options.business)) {
    throw new RangeError(`unknown business kind ${options.business}`);
  }
  return {
    seed,
    start,
    now,
    tenants: tenants.map((id, index) => ({
      index,
      id: id.toLowerCase(),
      customers: counts[index] ?? 0,
      start: start.getTime(),
      now: now.getTime(),
      business: options.business,
    })),
  };
}

function openEngine(
  options: SimulationOptions,
  onRetire: ((c: CustomerState, behaviour: CustomerBehaviour) => void) | undefined,
): { resolved: Resolved; engine: WorldEngine; tenants: TenantSummary[] } {
  const resolved = resolve(options);
  const engine = new WorldEngine(
    {
      seed: resolved.seed,
      tenants: resolved.tenants,
      start: resolved.start.getTime(),
      now: resolved.now.getTime(),
    },
    { onRetire },
  );
  const tenants = engine.tenants.map(({ plan }) => ({
    id: plan.id,
    source: plan.source,
    business: plan.business.kind,
    currency: plan.locale.currency,
    timezone: plan.locale.timezone,
    locations: plan.locations,
    staff: plan.staff.map((s) => ({
      bookingxId: s.bookingxId,
      name: s.name,
      location: s.location,
    })),
    services: plan.services.map((s) => ({
      bookingxId: s.bookingxId,
      name: s.name,
      durationMinutes: s.minutes,
      price: s.price,
    })),
    customerCount: plan.customers,
  }));
  return { resolved, engine, tenants };
}

/**
 * Opens the simulated world for streaming. Memory stays bounded by the customers in play
 * at one moment, whatever the number of customers or months.
 */
export function openWorld(options: StreamOptions = {}): World {
  const onCustomer = options.onCustomer;
  const { resolved, engine, tenants } = openEngine(
    options,
    onCustomer &&
      ((c, behaviour) => {
        onCustomer(truthOf(c, behaviour));
      }),
  );
  const factory = new EventFactory(resolved.seed);
  const skip = new Map<string, number>();
  for (const [tenant, n] of Object.entries(options.skip ?? {})) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`skip ${n} for ${tenant}`);
    if (n > 0) skip.set(tenant.toLowerCase(), n);
  }
  let opened = false;
  return {
    seed: resolved.seed,
    start: resolved.start.toISOString(),
    now: resolved.now.toISOString(),
    tenants,
    *events() {
      if (opened) throw new Error('a world streams its events once');
      opened = true;
      for (let fact = engine.next(); fact; fact = engine.next()) {
        const tenant = fact.customer.tenant.id;
        const left = skip.get(tenant);
        if (left !== undefined) {
          if (left > 1) skip.set(tenant, left - 1);
          else skip.delete(tenant);
          continue;
        }
        yield factory.build(fact);
      }
    },
  };
}

/** The event stream, lazily: for runs too large to hold in memory. */
export function stream(options: StreamOptions = {}): Generator<SimulatedEvent, void, undefined> {
  return openWorld(options).events();
}

/** The event stream alone, for callers that only publish or replay it. */
export function generate(options: SimulationOptions = {}): SimulatedEvent[] {
  return [...stream(options)];
}

/** The whole world in memory: tenants, every customer with their behaviour, and events. */
export function simulate(options: SimulationOptions = {}): Simulation {
  const retired: { c: CustomerState; b: CustomerBehaviour }[] = [];
  const { resolved, engine, tenants } = openEngine(options, (c, b) => retired.push({ c, b }));
  const factory = new EventFactory(resolved.seed);
  const events: SimulatedEvent[] = [];
  for (let fact = engine.next(); fact; fact = engine.next()) events.push(factory.build(fact));

  const byTenant = new Map<string, SimulatedCustomer[]>(tenants.map((t) => [t.id, []]));
  for (const { c, b } of retired) {
    const { preferredService, preferredStaff, ...behaviour } = b;
    byTenant.get(c.tenant.id)?.push({
      bookingxId: c.bookingxId,
      customerId: c.customerId,
      firstContactAt: new Date(c.firstContact).toISOString(),
      lapsedAt: c.lapsedAt === undefined ? undefined : new Date(c.lapsedAt).toISOString(),
      segment: b.segment,
      spend: b.spend,
      behaviour,
      preferredServiceId: c.tenant.services[preferredService]?.bookingxId ?? '',
      preferredStaffId: c.tenant.staff[preferredStaff]?.bookingxId ?? '',
      truth: truthOf(c, b),
    });
  }
  return {
    seed: resolved.seed,
    start: resolved.start.toISOString(),
    now: resolved.now.toISOString(),
    events,
    tenants: tenants.map((t) => ({
      ...t,
      customers: (byTenant.get(t.id) ?? []).sort(
        (a, b) => Number(a.bookingxId) - Number(b.bookingxId),
      ),
    })),
  };
}

/**
 * About how many events a run will produce, for a progress bar's ETA: the events per
 * customer of a small simulation of (up to a hundred of) the same tenants, scaled up.
 */
export function estimateEvents(options: SimulationOptions = {}): number {
  const { seed, start, now, tenants } = resolve(options);
  const populated = tenants.filter((t) => t.customers > 0);
  if (populated.length === 0) return 0;
  const step = Math.max(1, Math.ceil(populated.length / 100));
  const sampled = populated.filter((_, i) => i % step === 0);
  const perTenant = Math.max(20, Math.min(300, Math.floor(20_000 / sampled.length)));
  let events = 0;
  let customers = 0;
  for (const t of sampled) {
    const k = Math.min(t.customers, perTenant);
    const engine = new WorldEngine({
      seed,
      tenants: [{ ...t, index: 0, customers: k }],
      start: start.getTime(),
      now: now.getTime(),
    });
    while (engine.next()) events += 1;
    customers += k;
  }
  const total = populated.reduce((sum, t) => sum + t.customers, 0);
  return Math.round((events / customers) * total);
}

export function countByType(events: Iterable<{ type: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  return counts;
}
