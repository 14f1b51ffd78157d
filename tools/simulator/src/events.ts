/**
 * Wraps each fact of the engine in its BookingX CloudEvent: the envelope from the tenant,
 * the customer and the simulated time, the payload as BookingX sends it.
 */
import {
  makeEvent,
  type BookingxBooking,
  type BookingxEventType,
  type TypedEvent,
} from '@crm/contracts';
import type { Fact } from './model.js';
import type { Person } from './people.js';
import { isoTime } from './iso.js';
import { UuidV5 } from './uuid.js';

/** Namespace of every id the simulator derives; fixed, so one seed always yields one stream. */
export const SIMULATOR_NAMESPACE = '47860637-5c65-4768-8880-64f5bf9593af';

export type SimulatedEvent = { [T in BookingxEventType]: TypedEvent<T> }[BookingxEventType];

export { tenantSource } from './engine.js';

const iso = isoTime;

function personPayload(id: string, p: Person) {
  return {
    bookingx_id: id,
    first_name: p.first_name,
    last_name: p.last_name,
    ...(p.email === undefined ? {} : { email: p.email }),
    ...(p.phone === undefined ? {} : { phone: p.phone }),
  };
}

/** Builds events for one seed; keeps the namespace bytes for the id of every event. */
export class EventFactory {
  private readonly uuid = new UuidV5(SIMULATOR_NAMESPACE);

  constructor(private readonly seed: number) {}

  private envelope(fact: Fact, key: string, sequence: number) {
    const tenant = fact.customer.tenant;
    return {
      source: tenant.source,
      tenantId: tenant.id,
      subject: fact.customer.customerId,
      time: new Date(fact.at),
      id: this.uuid.id(`${String(this.seed)}/${tenant.id}/${key}`),
      sequence,
    };
  }

  /** The event of a fact just taken from the engine (ids assigned, details current). */
  build(fact: Fact): SimulatedEvent {
    const customer = fact.customer;
    const tenant = customer.tenant;

    switch (fact.kind) {
      case 'customer': {
        const data = {
          customer: {
            ...personPayload(customer.bookingxId, customer.person),
            registered_at: iso(customer.firstContact),
            timezone: tenant.locale.timezone,
          },
        };
        const base = this.envelope(
          fact,
          `customer/${customer.bookingxId}/${String(fact.version)}`,
          fact.version,
        );
        return fact.update
          ? makeEvent({ ...base, type: 'bookingx.customer.updated.v1', data })
          : makeEvent({ ...base, type: 'bookingx.customer.created.v1', data });
      }
      case 'booking': {
        const b = fact.booking;
        const rev = fact.change;
        const booking: BookingxBooking = {
          bookingx_id: b.bookingxId,
          customer: personPayload(customer.bookingxId, customer.person),
          service: {
            id: b.service.bookingxId,
            name: b.service.name,
            duration_minutes: b.service.minutes,
          },
          staff: { id: b.staff.bookingxId, name: b.staff.name },
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
        const base = this.envelope(
          fact,
          `booking/${b.bookingxId}/${String(fact.revision)}`,
          fact.revision,
        );
        return makeEvent({ ...base, type: `bookingx.booking.${rev.kind}.v1` as const, data });
      }
      case 'payment': {
        const p = fact.payment;
        const data = {
          payment: {
            bookingx_id: p.bookingxId,
            booking_id: p.booking.bookingxId,
            customer: personPayload(customer.bookingxId, customer.person),
            amount: fact.amount,
            method: p.method,
            occurred_at: iso(fact.at),
          },
          ...(fact.reason === undefined ? {} : { reason: fact.reason }),
        };
        const base = this.envelope(
          fact,
          `payment/${p.bookingxId}/${fact.refund ? 'refunded' : 'captured'}`,
          fact.refund ? 1 : 0,
        );
        return fact.refund
          ? makeEvent({ ...base, type: 'bookingx.payment.refunded.v1', data })
          : makeEvent({ ...base, type: 'bookingx.payment.captured.v1', data });
      }
      case 'purchase': {
        const p = fact.purchase;
        const data = {
          purchase: {
            bookingx_id: p.bookingxId,
            customer: personPayload(customer.bookingxId, customer.person),
            items: p.items,
            total: p.total,
            occurred_at: iso(fact.at),
          },
        };
        const base = this.envelope(fact, `purchase/${p.bookingxId}`, 0);
        return makeEvent({ ...base, type: 'bookingx.purchase.completed.v1', data });
      }
    }
  }
}

/** The event type a fact will become, without building it (for counting skipped events). */
export function factType(fact: Fact): BookingxEventType {
  switch (fact.kind) {
    case 'customer':
      return fact.update ? 'bookingx.customer.updated.v1' : 'bookingx.customer.created.v1';
    case 'booking':
      return `bookingx.booking.${fact.change.kind}.v1`;
    case 'payment':
      return fact.refund ? 'bookingx.payment.refunded.v1' : 'bookingx.payment.captured.v1';
    case 'purchase':
      return 'bookingx.purchase.completed.v1';
  }
}
