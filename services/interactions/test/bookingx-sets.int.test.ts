import { randomUUID } from 'node:crypto';
import { bookingxCustomerId, type EventType, type TypedEvent } from '@crm/contracts';
import { isBatchHandler, transaction } from '@crm/service-kit';
import { describe, expect, it } from 'vitest';
import {
  api,
  buildEvent,
  nextBxId,
  sleep,
  tokenFor,
  useBus,
  useService,
  waitFor,
} from '@crm/testing';
import { projectBookingxFacts } from '../src/domain/projection/project-bookingx-facts.js';
import { handlers } from '../src/events/index.js';
import { interactionsService } from '../src/service.js';

const svc = useService(interactionsService);
const bus = useBus();

async function settled(eventIds: string[]): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await svc.kit.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM interactions.inbox WHERE event_id = ANY($1)`,
        [eventIds],
      );
      return rows[0]?.n === eventIds.length;
    },
    { what: `${eventIds.length} events processed` },
  );
}

async function query<R extends object>(text: string, params: unknown[]): Promise<R[]> {
  return (await svc.kit.database.pool.query<R>(text, params)).rows;
}

/** Holds the lock a customer's facts take, so what arrives meanwhile queues up behind it. */
async function holdCustomer(tenant: string, customerId: string): Promise<() => Promise<void>> {
  const client = await svc.kit.database.pool.connect();
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
    `${tenant}:${customerId}`,
  ]);
  return async () => {
    await client.query('SELECT pg_advisory_unlock_all()');
    client.release();
  };
}

type BookingType = Extract<EventType, `bookingx.booking.${string}`>;

/** A fact about booking `bookingBx` of BookingX customer `customerBx` at `revision`. */
function bookingFact<T extends BookingType>(
  tenant: string,
  type: T,
  customerBx: string,
  bookingBx: string,
  revision: number,
): TypedEvent<T> {
  const status = type === 'bookingx.booking.completed.v1' ? 'completed' : 'confirmed';
  // Every booking type carries the same payload; the cast only names which type this one is.
  const event: TypedEvent<BookingType> = buildEvent<BookingType>(type, {
    tenantId: tenant,
    data: {
      booking: {
        bookingx_id: bookingBx,
        customer: { bookingx_id: customerBx },
        status: type === 'bookingx.booking.cancelled.v1' ? 'cancelled' : status,
        revision,
      },
    },
  });
  return event as TypedEvent<T>;
}

describe('BookingX facts as sets', () => {
  it('projects a customer’s backlog in one transaction, each booking at its newest revision', async () => {
    const tenant = randomUUID();
    const bx = nextBxId();
    const customerId = bookingxCustomerId(tenant, bx);
    const [first, second] = [nextBxId(), nextBxId()];
    const fact = (type: BookingType, booking: string, revision: number) =>
      bookingFact(tenant, type, bx, booking, revision);
    const created = fact('bookingx.booking.created.v1', first, 0);
    const moved = fact('bookingx.booking.rescheduled.v1', first, 1);
    const done = fact('bookingx.booking.completed.v1', first, 3);
    const stale = fact('bookingx.booking.rescheduled.v1', first, 2);
    const other = fact('bookingx.booking.created.v1', second, 1);
    const cancelled = fact('bookingx.booking.cancelled.v1', second, 2);
    const paid = buildEvent('bookingx.payment.captured.v1', {
      tenantId: tenant,
      data: { payment: { booking_id: first, customer: { bookingx_id: bx } } },
    });
    const bought = buildEvent('bookingx.purchase.completed.v1', {
      tenantId: tenant,
      data: { purchase: { customer: { bookingx_id: bx } } },
    });
    const backlog = [moved, done, stale, done, other, cancelled, paid, bought];

    const release = await holdCustomer(tenant, customerId);
    try {
      // The first fact waits for the lock in a transaction of its own; the rest queue behind it.
      await bus.publish([created]);
      await bus.publish(backlog);
      await waitFor(async () => (await svc.consumer.depth()) === 0, {
        what: 'the backlog in the consumer’s hands',
      });
      await sleep(200);
    } finally {
      await release();
    }
    const facts = [created, moved, done, stale, other, cancelled, paid, bought];
    await settled(facts.map((e) => e.id));

    expect(
      await query(
        `SELECT bookingx_id, status, revision FROM interactions.bookings
          WHERE tenant_id = $1 ORDER BY revision`,
        [tenant],
      ),
    ).toEqual([
      { bookingx_id: second, status: 'cancelled', revision: 2 },
      { bookingx_id: first, status: 'completed', revision: 3 },
    ]);
    const recorded = await query<{ source_event_id: string; customer_id: string; tx: string }>(
      `SELECT source_event_id, customer_id, xmin::text AS tx FROM interactions.interactions
        WHERE tenant_id = $1`,
      [tenant],
    );
    expect(recorded.map((r) => r.source_event_id).sort()).toEqual(facts.map((e) => e.id).sort());
    expect(new Set(recorded.map((r) => r.customer_id))).toEqual(new Set([customerId]));
    // All but the first fact were written by one transaction: the set was not rolled back.
    const txOf = (id: string) => recorded.find((r) => r.source_event_id === id)?.tx;
    expect(new Set(backlog.map((e) => txOf(e.id))).size).toBe(1);
    expect(txOf(created.id)).not.toBe(txOf(done.id));

    expect(
      await query(
        `SELECT bookings, completed_bookings, no_shows FROM interactions.engagement
          WHERE tenant_id = $1 AND customer_id = $2`,
        [tenant, customerId],
      ),
    ).toEqual([{ bookings: 2, completed_bookings: 1, no_shows: 0 }]);
    const entries = await query<{ source_event_id: string }>(
      'SELECT source_event_id FROM interactions.timeline_entries WHERE tenant_id = $1',
      [tenant],
    );
    expect(entries.map((e) => e.source_event_id).sort()).toEqual(facts.map((e) => e.id).sort());
    const announced = await query<{ subject: string }>(
      `SELECT envelope->>'subject' AS subject FROM interactions.outbox
        WHERE tenant_id = $1 AND routing_key = 'crm.interaction.recorded.v1'`,
      [tenant],
    );
    expect(announced).toHaveLength(facts.length);
  });

  it('resolves merged customers of a set to the survivor, leaves out tenants that do not record bookings, and counts a fact once', async () => {
    const tenant = randomUUID();
    const [survivorBx, duplicateBx] = [nextBxId(), nextBxId()];
    const survivor = bookingxCustomerId(tenant, survivorBx);
    const duplicate = bookingxCustomerId(tenant, duplicateBx);
    const merge = buildEvent('crm.customer.merged.v1', {
      tenantId: tenant,
      data: { survivor_id: survivor, merged_ids: [duplicate] },
    });
    await bus.publish([merge]);
    await settled([merge.id]);
    const untracked = randomUUID();
    const admin = await tokenFor(untracked, 'admin');
    expect(
      (await api(svc.url).as(admin).patch('/crm/interactions/settings', { track_bookings: false }))
        .status,
    ).toBe(200);

    const set = [
      bookingFact(tenant, 'bookingx.booking.created.v1', duplicateBx, nextBxId(), 1),
      bookingFact(untracked, 'bookingx.booking.created.v1', nextBxId(), nextBxId(), 1),
      bookingFact(tenant, 'bookingx.booking.created.v1', survivorBx, nextBxId(), 1),
    ];
    const project = (events: typeof set) =>
      transaction(svc.kit.database.db, ({ db }) => projectBookingxFacts(svc.deps, db, events));
    await project(set);
    // The same facts again (a replay the inbox did not see) change nothing.
    await project(set);

    const recorded = await query<{ tenant_id: string; customer_id: string }>(
      `SELECT tenant_id, customer_id FROM interactions.interactions
        WHERE tenant_id = ANY($1) ORDER BY interaction_date`,
      [[tenant, untracked]],
    );
    expect(recorded).toEqual([
      { tenant_id: tenant, customer_id: survivor },
      { tenant_id: tenant, customer_id: survivor },
    ]);
    expect(
      await query(
        `SELECT customer_id, bookings FROM interactions.engagement WHERE tenant_id = ANY($1)`,
        [[tenant, untracked]],
      ),
    ).toEqual([{ customer_id: survivor, bookings: 2 }]);
    const entries = await query<{ customer_id: string }>(
      `SELECT customer_id FROM interactions.timeline_entries WHERE tenant_id = ANY($1)
          AND kind = 'booking'`,
      [[tenant, untracked]],
    );
    expect(entries).toEqual([{ customer_id: survivor }, { customer_id: survivor }]);
    const announced = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM interactions.outbox
        WHERE tenant_id = ANY($1) AND routing_key = 'crm.interaction.recorded.v1'`,
      [[tenant, untracked]],
    );
    expect(announced).toEqual([{ n: 2 }]);
  });

  it('drops the facts about an erased customer from a set, and projects the others', async () => {
    const tenant = randomUUID();
    const [goneBx, liveBx] = [nextBxId(), nextBxId()];
    const gone = bookingxCustomerId(tenant, goneBx);
    const erase = buildEvent('crm.customer.erased.v1', {
      tenantId: tenant,
      data: { customer_id: gone },
    });
    await bus.publish([erase]);
    await settled([erase.id]);
    // The handlers as the kit wires them into the consumer, behind the customer modules.
    const wired = svc.kit.customers?.consumerHandlers(handlers(svc.deps)) ?? {};
    const facts = wired['bookingx.booking.created.v1'];
    if (!facts || !isBatchHandler(facts)) throw new Error('BookingX facts are not handled as sets');
    // One set for every BookingX type, so a batch's facts of any of them are projected together.
    expect(wired['bookingx.payment.captured.v1']).toBe(facts);
    expect(wired['bookingx.booking.completed.v1']).toBe(facts);

    const live = bookingFact(tenant, 'bookingx.booking.created.v1', liveBx, nextBxId(), 1);
    const set = [
      bookingFact(tenant, 'bookingx.booking.created.v1', goneBx, nextBxId(), 1),
      live,
      bookingFact(tenant, 'bookingx.booking.created.v1', goneBx, nextBxId(), 2),
    ];
    await transaction(svc.kit.database.db, ({ db }) =>
      facts.batch({ tx: db, outbox: svc.kit.outbox, logger: svc.kit.logger }, set),
    );
    expect(
      await query(
        `SELECT source_event_id, customer_id FROM interactions.interactions WHERE tenant_id = $1`,
        [tenant],
      ),
    ).toEqual([{ source_event_id: live.id, customer_id: bookingxCustomerId(tenant, liveBx) }]);
    expect(
      await query('SELECT count(*)::int AS n FROM interactions.bookings WHERE tenant_id = $1', [
        tenant,
      ]),
    ).toEqual([{ n: 1 }]);
  });
});
