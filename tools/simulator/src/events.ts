/**
 * Turns the planned world into the BookingX event stream: merges every customer's facts
 * by time, hands out WordPress ids in that order, and wraps each fact in a CloudEvent.
 */
import {
  bookingxCustomerId,
  makeEvent,
  type BookingxBooking,
  type BookingxEventType,
  type TypedEvent,
} from '@crm/contracts';
import { v5 as uuidv5 } from 'uuid';
import type { BookingPlan, CustomerPlan, Fact, PaymentPlan, TenantPlan } from './model.js';
import type { Person } from './people.js';

/** Namespace of every id the simulator derives; fixed, so one seed always yields one stream. */
export const SIMULATOR_NAMESPACE = '47860637-5c65-4768-8880-64f5bf9593af';

export type SimulatedEvent = { [T in BookingxEventType]: TypedEvent<T> }[BookingxEventType];

export function tenantSource(tenantId: string): string {
  return `bookingx/${tenantId.slice(0, 8)}`;
}

/**
 * WordPress numbers users and posts from two auto-increment counters, and leaves holes
 * (deleted spam users, post revisions, autosaves); BookingX customers are users, while
 * staff, services, bookings and payments are posts.
 */
export class WordPressIds {
  private user: number;
  private post: number;
  readonly customers = new Map<CustomerPlan, string>();
  readonly bookings = new Map<BookingPlan, string>();
  readonly payments = new Map<PaymentPlan, string>();
  readonly staff: string[];
  readonly services: string[];

  constructor(private readonly tenant: TenantPlan) {
    const rng = tenant.idRng;
    this.user = rng.int(1, 4);
    this.post = rng.int(10, 60);
    this.services = tenant.services.map(() => this.nextPost());
    this.staff = tenant.staff.map(() => this.nextPost());
  }

  private nextPost(): string {
    this.post += this.tenant.idRng.chance(0.3) ? this.tenant.idRng.int(2, 4) : 1;
    return String(this.post);
  }

  private nextUser(): string {
    this.user += this.tenant.idRng.chance(0.05) ? this.tenant.idRng.int(2, 5) : 1;
    return String(this.user);
  }

  customer(c: CustomerPlan): string {
    let id = this.customers.get(c);
    if (id === undefined) {
      id = this.nextUser();
      this.customers.set(c, id);
    }
    return id;
  }

  booking(b: BookingPlan): string {
    let id = this.bookings.get(b);
    if (id === undefined) {
      id = this.nextPost();
      this.bookings.set(b, id);
    }
    return id;
  }

  payment(p: PaymentPlan): string {
    let id = this.payments.get(p);
    if (id === undefined) {
      id = this.nextPost();
      this.payments.set(p, id);
    }
    return id;
  }
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

function personAt(customer: CustomerPlan, at: number): Person {
  let person = customer.versions[0]?.person;
  for (const v of customer.versions) if (v.at <= at) person = v.person;
  if (!person) throw new Error('customer without details');
  return person;
}

function personPayload(id: string, p: Person) {
  return {
    bookingx_id: id,
    first_name: p.first_name,
    last_name: p.last_name,
    ...(p.email === undefined ? {} : { email: p.email }),
    ...(p.phone === undefined ? {} : { phone: p.phone }),
  };
}

/** Facts of all tenants in the order BookingX would have sent them. */
export function mergeFacts(tenants: readonly TenantPlan[]): Fact[] {
  const facts = tenants.flatMap((t) => t.facts);
  // Per customer, `order` follows each booking's revisions, so equal times keep them in order.
  return facts.sort(
    (a, b) =>
      a.at - b.at ||
      a.customer.tenant.index - b.customer.tenant.index ||
      a.customer.index - b.customer.index ||
      a.order - b.order,
  );
}

export function materialize(
  seed: number,
  tenants: readonly TenantPlan[],
): { events: SimulatedEvent[]; ids: Map<TenantPlan, WordPressIds> } {
  const ids = new Map(tenants.map((t) => [t, new WordPressIds(t)] as const));
  const events: SimulatedEvent[] = [];
  for (const fact of mergeFacts(tenants)) {
    const tenant = fact.customer.tenant;
    const book = ids.get(tenant);
    if (!book) throw new Error(`unknown tenant ${tenant.id}`);
    const customerBxId = book.customer(fact.customer);
    const envelope = (key: string, sequence: number) => ({
      source: tenantSource(tenant.id),
      tenantId: tenant.id,
      subject: bookingxCustomerId(tenant.id, customerBxId),
      time: new Date(fact.at),
      id: uuidv5(`${String(seed)}/${tenant.id}/${key}`, SIMULATOR_NAMESPACE),
      sequence,
    });

    switch (fact.kind) {
      case 'customer': {
        const version = fact.customer.versions[fact.version];
        if (!version) throw new Error('unknown customer version');
        const data = {
          customer: {
            ...personPayload(customerBxId, version.person),
            registered_at: iso(fact.customer.firstContact),
            timezone: tenant.locale.timezone,
          },
        };
        const base = envelope(`customer/${customerBxId}/${String(fact.version)}`, fact.version);
        events.push(
          fact.version === 0
            ? makeEvent({ ...base, type: 'bookingx.customer.created.v1', data })
            : makeEvent({ ...base, type: 'bookingx.customer.updated.v1', data }),
        );
        break;
      }
      case 'booking': {
        const b = fact.booking;
        const rev = b.revisions[fact.revision];
        if (!rev) throw new Error('unknown booking revision');
        const bookingId = book.booking(b);
        const booking: BookingxBooking = {
          bookingx_id: bookingId,
          customer: personPayload(customerBxId, personAt(fact.customer, fact.at)),
          service: {
            id: book.services[b.service.index] ?? '0',
            name: b.service.name,
            duration_minutes: b.service.minutes,
          },
          staff: { id: book.staff[b.staff.index] ?? '0', name: b.staff.name },
          location: b.location,
          start_at: iso(rev.start),
          end_at: iso(rev.start + b.service.minutes * 60_000),
          price: b.service.price,
          status: rev.status,
          revision: fact.revision,
          ...(b.notes === undefined ? {} : { notes: b.notes }),
        };
        const data = {
          booking,
          ...(rev.previousStart === undefined ? {} : { previous_start_at: iso(rev.previousStart) }),
          ...(rev.reason === undefined ? {} : { reason: rev.reason }),
        };
        const base = envelope(`booking/${bookingId}/${String(fact.revision)}`, fact.revision);
        events.push(makeEvent({ ...base, type: `bookingx.booking.${rev.kind}.v1` as const, data }));
        break;
      }
      case 'payment': {
        const p = fact.payment;
        const paymentId = book.payment(p);
        const data = {
          payment: {
            bookingx_id: paymentId,
            booking_id: book.booking(p.booking),
            customer: personPayload(customerBxId, personAt(fact.customer, fact.at)),
            amount: p.amount,
            method: p.method,
            occurred_at: iso(fact.occurredAt),
          },
          ...(fact.reason === undefined ? {} : { reason: fact.reason }),
        };
        const base = envelope(
          `payment/${paymentId}/${fact.refund ? 'refunded' : 'captured'}`,
          fact.refund ? 1 : 0,
        );
        events.push(
          fact.refund
            ? makeEvent({ ...base, type: 'bookingx.payment.refunded.v1', data })
            : makeEvent({ ...base, type: 'bookingx.payment.captured.v1', data }),
        );
        break;
      }
    }
  }
  return { events, ids };
}
