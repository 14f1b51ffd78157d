import { bookingxCustomerId, type Money } from '@crm/contracts';
import { v5 as uuidv5 } from 'uuid';
import { materialize, SIMULATOR_NAMESPACE, tenantSource, type SimulatedEvent } from './events.js';
import { planWorld, type CustomerBehaviour, type Segment, type Spend } from './model.js';

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
  /** Customers per tenant. Default 200. */
  customers?: number;
  /** Months of history before `now`. Default 12. */
  months?: number;
  /** The simulated present: nothing happens after it. Default: the real current time. */
  now?: Date;
  /** Start of the history. Default: `months` before `now`. */
  start?: Date;
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
}

export interface SimulatedTenant {
  id: string;
  source: string;
  business: string;
  currency: string;
  timezone: string;
  locations: string[];
  staff: { bookingxId: string; name: string }[];
  services: { bookingxId: string; name: string; durationMinutes: number; price: Money }[];
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The demo tenant first, then tenants derived from the seed. */
export function deriveTenantIds(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    i === 0 ? DEMO_TENANT_ID : uuidv5(`tenant/${String(seed)}/${String(i)}`, SIMULATOR_NAMESPACE),
  );
}

function monthsBefore(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

export function simulate(options: SimulationOptions = {}): Simulation {
  const seed = options.seed ?? DEFAULT_SEED;
  const customers = options.customers ?? DEFAULT_CUSTOMERS;
  const months = options.months ?? DEFAULT_MONTHS;
  const tenants = options.tenants ?? [DEMO_TENANT_ID];
  const now = options.now ?? new Date();
  const start = options.start ?? monthsBefore(now, months);

  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isSafeInteger(customers) || customers < 0) {
    throw new RangeError(`customers must be a whole number, got ${customers}`);
  }
  if (!(months > 0)) throw new RangeError(`months must be positive, got ${months}`);
  if (Number.isNaN(now.getTime()) || Number.isNaN(start.getTime()) || start >= now) {
    throw new RangeError('start must be a valid time before now');
  }
  for (const t of tenants) {
    if (!UUID.test(t)) throw new RangeError(`tenant ${t} is not a UUID`);
  }
  if (new Set(tenants).size !== tenants.length) throw new RangeError('tenants repeat');

  const plans = planWorld({
    seed,
    tenants: tenants.map((t) => t.toLowerCase()),
    customers,
    start: start.getTime(),
    now: now.getTime(),
  });
  const { events, ids } = materialize(seed, plans);

  return {
    seed,
    start: start.toISOString(),
    now: now.toISOString(),
    events,
    tenants: plans.map((t) => {
      const book = ids.get(t);
      if (!book) throw new Error(`unknown tenant ${t.id}`);
      return {
        id: t.id,
        source: tenantSource(t.id),
        business: t.business.kind,
        currency: t.locale.currency,
        timezone: t.locale.timezone,
        locations: t.locations,
        staff: t.staff.map((s) => ({ bookingxId: book.staff[s.index] ?? '', name: s.name })),
        services: t.services.map((s) => ({
          bookingxId: book.services[s.index] ?? '',
          name: s.name,
          durationMinutes: s.minutes,
          price: s.price,
        })),
        customers: t.customers
          .map((c): SimulatedCustomer => {
            const bookingxId = book.customer(c);
            const { preferredService, preferredStaff, ...behaviour } = c.behaviour;
            return {
              bookingxId,
              customerId: bookingxCustomerId(t.id, bookingxId),
              firstContactAt: new Date(c.firstContact).toISOString(),
              lapsedAt: c.lapsedAt === undefined ? undefined : new Date(c.lapsedAt).toISOString(),
              segment: c.behaviour.segment,
              spend: c.behaviour.spend,
              behaviour,
              preferredServiceId: book.services[preferredService] ?? '',
              preferredStaffId: book.staff[preferredStaff] ?? '',
            };
          })
          .sort((a, b) => Number(a.bookingxId) - Number(b.bookingxId)),
      };
    }),
  };
}

/** The event stream alone, for callers that only publish or replay it. */
export function generate(options: SimulationOptions = {}): SimulatedEvent[] {
  return simulate(options).events;
}

export function countByType(events: Iterable<{ type: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  return counts;
}
