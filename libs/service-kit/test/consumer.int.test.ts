import {
  BOOKINGX_EXCHANGE,
  makeEvent,
  newId,
  toWire,
  type CloudEvent,
  type TypedEvent,
} from '@crm/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, nextBxId, sleep, waitFor } from '@crm/testing';
import type { Broker } from '../src/broker.js';
import { Consumer, type BatchHandler, type Handlers } from '../src/consumer.js';
import { DeadLetterStore } from '../src/dead-letters.js';
import { createMetrics, type Metrics } from '../src/metrics.js';
import type { OutboxRelay } from '../src/relay.js';
import {
  TestAmqp,
  createTestServiceDb,
  gate,
  openBroker,
  relayFor,
  silentLogger,
  uniqueName,
  type TestServiceDb,
} from './support.js';

/** What the handler does for one tenant; each test owns its tenants, so tests never meet. */
interface Behaviour {
  failing: boolean;
  hold?: Promise<void>;
  /** Kills the handler's own database connection on the first call, as a failover would. */
  dropConnectionOnce?: boolean;
  calls: number;
  /** Events that fail every time (the rest of the tenant's events succeed). */
  failIds?: Set<string>;
  /** Called with each event and the id of the transaction handling it. */
  seen?: (event: CloudEvent, txid: string) => void;
  /** Each handled event also emits one event through the outbox. */
  emits?: boolean;
  /** The events (ids) of each set the batch handler was given, in order. */
  sets?: string[][];
}

let svc: TestServiceDb;
let broker: Broker;
let amqp: TestAmqp;
let relay: OutboxRelay;
let consumer: Consumer;
let store: DeadLetterStore;
let metrics: Metrics;
const behaviours = new Map<string, Behaviour>();
const queuePrefix = `${uniqueName('kit-test')}.`;
const stopLater: { stop: () => Promise<void> }[] = [];

function tenantWith(behaviour: Partial<Behaviour> = {}): {
  tenantId: string;
  behaviour: Behaviour;
} {
  const tenantId = newId();
  const b: Behaviour = { failing: false, calls: 0, ...behaviour };
  behaviours.set(tenantId, b);
  return { tenantId, behaviour: b };
}

const handlers: Handlers = {
  'bookingx.customer.created.v1': async ({ tx }, event) => {
    const behaviour = behaviours.get(event.tenantid);
    // Events of other suites sharing the exchange are not this test's business.
    if (!behaviour) return;
    behaviour.calls += 1;
    if (behaviour.dropConnectionOnce) {
      behaviour.dropConnectionOnce = false;
      await tx.execute(sql`SELECT pg_terminate_backend(pg_backend_pid())`);
    }
    if (behaviour.hold) await behaviour.hold;
    if (behaviour.failing || behaviour.failIds?.has(event.id)) {
      throw new Error('the handler is broken');
    }
    if (behaviour.seen) {
      const { rows } = await tx.execute<{ txid: string }>(sql`SELECT txid_current()::text AS txid`);
      behaviour.seen(event, rows[0]?.txid ?? '');
    }
    await tx
      .insert(svc.tables.effects)
      .values({ id: newId(), tenantId: event.tenantid, eventId: event.id });
    if (behaviour.emits) {
      await svc.outbox.append(tx, {
        event: makeEvent({
          type: 'crm.customer.erased.v1',
          source: 'crm/kit-test',
          tenantId: event.tenantid,
          subject: event.subject,
          data: { customer_id: newId(), erased_by: { type: 'system', id: 'kit-test', name: null } },
        }),
      });
    }
  },
};

/**
 * Booking events as sets, one handler for two types: what the per-event handler does, with
 * one insert for the whole set.
 */
const bookingSets: BatchHandler<'bookingx.booking.created.v1' | 'bookingx.booking.cancelled.v1'> = {
  batch: async ({ tx }, events) => {
    // Events of other suites sharing the exchange are not this test's business.
    const mine = events.filter((e) => behaviours.has(e.tenantid));
    const [first] = mine;
    if (!first) return;
    const { rows } = await tx.execute<{ txid: string }>(sql`SELECT txid_current()::text AS txid`);
    for (const event of mine) {
      const behaviour = behaviours.get(event.tenantid);
      if (!behaviour) continue;
      behaviour.calls += 1;
      if (behaviour.failIds?.has(event.id)) throw new Error('the handler is broken');
      behaviour.seen?.(event, rows[0]?.txid ?? '');
    }
    behaviours.get(first.tenantid)?.sets?.push(mine.map((e) => e.id));
    await tx
      .insert(svc.tables.effects)
      .values(mine.map((e) => ({ id: newId(), tenantId: e.tenantid, eventId: e.id })));
  },
};

/** Per-event customer events beside booking events handled as sets. */
const mixedHandlers: Handlers = {
  ...handlers,
  'bookingx.booking.created.v1': bookingSets,
  'bookingx.booking.cancelled.v1': bookingSets,
};

function newConsumer(
  service: string,
  m: Metrics | undefined,
  prefetch = 10,
  { handlers: chosen = handlers, ...batching }: Batching = {},
): Consumer {
  return new Consumer({
    ...batching,
    service,
    queuePrefix,
    broker,
    db: svc.database.db,
    tables: svc.tables,
    outbox: svc.outbox,
    handlers: chosen,
    logger: silentLogger,
    metrics: m,
    prefetch,
    deliveryLimit: 3,
    retryBaseMs: 10,
  });
}

interface Batching {
  batchSize?: number;
  concurrency?: number;
  handlers?: Handlers;
}

beforeAll(async () => {
  svc = await createTestServiceDb('consumer');
  broker = await openBroker('consumer');
  amqp = await TestAmqp.open();
  relay = relayFor(svc, broker);
  metrics = createMetrics('kit-consumer');
  consumer = newConsumer('kit-consumer', metrics);
  await consumer.start();
  store = new DeadLetterStore({
    broker,
    db: svc.database.db,
    tables: svc.tables,
    outbox: svc.outbox,
    queue: consumer.queue,
    dlq: consumer.dlq,
    logger: silentLogger,
  });
  await store.start();
  await relay.start();
});

afterAll(async () => {
  for (const s of stopLater.splice(0)) await s.stop();
  await consumer.stop();
  await store.stop();
  await relay.stop();
  await amqp.close();
  await broker.close();
  await svc.close();
});

function publish(event: CloudEvent): void {
  const wire = toWire(event);
  amqp.channel.publish(BOOKINGX_EXCHANGE, wire.routingKey, wire.content, wire.properties);
}

/** The way a service emits: through its outbox, in a transaction, published by the relay. */
async function emit(event: CloudEvent): Promise<void> {
  await svc.database.db.transaction(async (tx) => {
    await svc.outbox.append(tx, { event });
  });
}

async function effectsOf(eventId: string) {
  return svc.database.db
    .select()
    .from(svc.tables.effects)
    .where(eq(svc.tables.effects.eventId, eventId));
}

async function deadLettersOf(eventId: string) {
  const t = svc.tables.deadLetters;
  return svc.database.db.select().from(t).where(eq(t.eventId, eventId)).orderBy(t.deadLetteredAt);
}

async function outcomeCount(m: Metrics, type: string, outcome: string): Promise<number> {
  const { values } = await m.consumed.get();
  return values
    .filter((v) => v.labels.type === type && v.labels.outcome === outcome)
    .reduce((sum, v) => sum + v.value, 0);
}

function deadLetterOf(event: TypedEvent<'bookingx.customer.created.v1'>) {
  return waitFor(
    async () => {
      const [row] = await deadLettersOf(event.id);
      return row;
    },
    { timeoutMs: 20_000, what: 'message dead-lettered and stored' },
  );
}

describe('consumer', () => {
  it('has one effect for an event delivered twice', async () => {
    const { tenantId, behaviour } = tenantWith();
    const event = buildEvent('bookingx.customer.created.v1', { tenantId });
    const duplicatesBefore = await outcomeCount(metrics, event.type, 'duplicate');

    publish(event);
    publish(event);

    await waitFor(async () => (await effectsOf(event.id)).length === 1);
    await waitFor(
      async () => (await outcomeCount(metrics, event.type, 'duplicate')) > duplicatesBefore,
      { what: 'second delivery seen as a duplicate' },
    );
    expect(await effectsOf(event.id)).toHaveLength(1);
    expect(behaviour.calls).toBe(1);
    const inbox = svc.tables.inbox;
    expect(
      await svc.database.db
        .select()
        .from(inbox)
        .where(and(eq(inbox.consumer, consumer.queue), eq(inbox.eventId, event.id))),
    ).toHaveLength(1);
  });

  it('dead-letters a message that keeps failing at the delivery limit, and replays it once', async () => {
    const { tenantId, behaviour } = tenantWith({ failing: true });
    const event = buildEvent('bookingx.customer.created.v1', { tenantId });
    await emit(event);

    const dead = await deadLetterOf(event);
    expect(behaviour.calls).toBe(3);
    expect(dead).toMatchObject({
      queue: consumer.queue,
      eventType: event.type,
      tenantId,
      deliveryCount: 3,
      replayedAt: null,
    });
    expect(dead.reason).toContain('the handler is broken');
    expect(dead.payload).toEqual(event);
    expect(await effectsOf(event.id)).toHaveLength(0);

    behaviour.failing = false;
    const replayed = await store.replay(tenantId, dead.id);
    expect(replayed.replayed_at).not.toBeNull();
    await waitFor(async () => (await effectsOf(event.id)).length === 1, {
      what: 'replayed event handled',
    });

    await expect(store.replay(tenantId, dead.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.replay(newId(), dead.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await effectsOf(event.id)).toHaveLength(1);
  });

  it('replays a message again after a replay that failed too', async () => {
    const { tenantId, behaviour } = tenantWith({ failing: true });
    const event = buildEvent('bookingx.customer.created.v1', { tenantId });
    await emit(event);

    const first = await deadLetterOf(event);
    await store.replay(tenantId, first.id);
    const second = await waitFor(
      async () => (await deadLettersOf(event.id)).find((d) => d.id !== first.id),
      { timeoutMs: 20_000, what: 'replayed message dead-lettered again' },
    );
    expect(behaviour.calls).toBe(6);

    behaviour.failing = false;
    await store.replay(tenantId, second.id);
    await waitFor(async () => (await effectsOf(event.id)).length === 1);
    expect(behaviour.calls).toBe(7);
  });

  it('retries an event whose transaction lost its database connection, with one effect', async () => {
    const { tenantId, behaviour } = tenantWith({ dropConnectionOnce: true });
    const event = buildEvent('bookingx.customer.created.v1', { tenantId });
    publish(event);
    await waitFor(async () => (await effectsOf(event.id)).length === 1, {
      what: 'handled on the second delivery',
    });
    expect(behaviour.calls).toBe(2);
    expect(await deadLettersOf(event.id)).toHaveLength(0);
  });

  it('holds no more unacked messages than its prefetch', async () => {
    const held = gate();
    const { tenantId, behaviour } = tenantWith({ hold: held.wait });
    const bounded = newConsumer('kit-prefetch', undefined, 2);
    stopLater.push(bounded);
    await bounded.start();
    const events = Array.from({ length: 5 }, () =>
      buildEvent('bookingx.customer.created.v1', { tenantId }),
    );
    try {
      for (const event of events) {
        const wire = toWire(event);
        amqp.channel.sendToQueue(bounded.queue, wire.content, wire.properties);
      }
      await waitFor(() => behaviour.calls === 2);
      // The broker keeps the rest until an ack frees a slot.
      await waitFor(async () => (await amqp.messageCount(bounded.queue)) === 3);
      expect(behaviour.calls).toBe(2);
    } finally {
      held.open();
    }
    for (const event of events) {
      await waitFor(async () => (await effectsOf(event.id)).length === 1);
    }
    expect(behaviour.calls).toBe(5);
  });

  it('consumes again after the broker cancelled it (its queue was deleted and comes back)', async () => {
    const { tenantId } = tenantWith();
    const recovering = newConsumer('kit-cancelled', undefined);
    stopLater.push(recovering);
    await recovering.start();
    await amqp.channel.deleteQueue(recovering.queue);
    // The consumer declares its queue again; events published from then on reach it.
    await waitFor(async () => (await amqp.messageCount(recovering.queue)) === 0, {
      what: 'queue declared again',
    });
    const event = buildEvent('bookingx.customer.created.v1', { tenantId });
    const wire = toWire(event);
    amqp.channel.sendToQueue(recovering.queue, wire.content, wire.properties);
    await waitFor(async () => (await effectsOf(event.id)).length === 1, {
      timeoutMs: 20_000,
      what: 'consumed after the cancel',
    });
  });

  it('dead-letters a body that is not JSON at once', async () => {
    const messageId = newId();
    amqp.channel.sendToQueue(consumer.queue, Buffer.from('{"not": json', 'utf8'), {
      messageId,
      type: 'bookingx.customer.created.v1',
      persistent: true,
    });
    const [dead] = await waitFor(async () => {
      const rows = await deadLettersOf(messageId);
      return rows.length > 0 ? rows : null;
    });
    expect(dead).toMatchObject({ tenantId: null, deliveryCount: 1 });
    expect(dead?.reason).toMatch(/^malformed/);
    expect(dead?.payload).toEqual({
      raw_base64: Buffer.from('{"not": json', 'utf8').toString('base64'),
    });
  });

  it('dead-letters an event whose payload breaks its schema at once', async () => {
    const { tenantId, behaviour } = tenantWith();
    const event = makeEvent({
      type: 'bookingx.customer.created.v1',
      source: 'bookingx/wordpress',
      tenantId,
      data: { customer: { bookingx_id: 'not-a-number', first_name: 'Ada' } },
    });
    publish(event);
    const [dead] = await waitFor(async () => {
      const rows = await deadLettersOf(event.id);
      return rows.length > 0 ? rows : null;
    });
    expect(dead).toMatchObject({ tenantId, deliveryCount: 1 });
    expect(dead?.reason).toMatch(/^invalid payload: .*customer\.bookingx_id/);
    expect(dead?.reason).toContain('customer.last_name');
    expect(behaviour.calls).toBe(0);
  });

  it('acks and ignores event types it has no handler for', async () => {
    const tenantId = newId();
    const known = makeEvent({
      type: 'crm.interaction.recorded.v1',
      source: 'crm/interactions',
      tenantId,
      data: { anything: true },
    });
    const unknown = makeEvent({
      type: 'crm.nothing.happened.v1',
      source: 'crm/elsewhere',
      tenantId,
      data: {},
    });
    for (const event of [known, unknown]) {
      const wire = toWire(event);
      amqp.channel.sendToQueue(consumer.queue, wire.content, wire.properties);
    }
    await waitFor(async () => (await outcomeCount(metrics, known.type, 'ignored')) === 1);
    await waitFor(async () => (await outcomeCount(metrics, unknown.type, 'ignored')) === 1);
    expect(await deadLettersOf(known.id)).toHaveLength(0);
    expect(await deadLettersOf(unknown.id)).toHaveLength(0);
  });

  it('finishes the handler in flight when stopped, and its message is not delivered again', async () => {
    const held = gate();
    const { tenantId, behaviour } = tenantWith({ hold: held.wait });
    const service = 'kit-stop';
    const first = newConsumer(service, createMetrics(service));
    await first.start();
    const event = buildEvent('bookingx.customer.created.v1', { tenantId });
    const wire = toWire(event);
    amqp.channel.sendToQueue(first.queue, wire.content, wire.properties);
    await waitFor(() => behaviour.calls === 1, { what: 'handler started' });

    let stopped = false;
    const stopping = first.stop().then(() => {
      stopped = true;
    });
    try {
      await sleep(300);
      expect(stopped).toBe(false);
    } finally {
      held.open();
      await stopping;
    }
    expect(await effectsOf(event.id)).toHaveLength(1);

    // A consumer started on the same queue gets the next message, and not the one acked before.
    const nextMetrics = createMetrics(service);
    const next = newConsumer(service, nextMetrics);
    stopLater.push(next);
    await next.start();
    const { tenantId: otherTenant } = tenantWith();
    const marker = buildEvent('bookingx.customer.created.v1', { tenantId: otherTenant });
    const markerWire = toWire(marker);
    amqp.channel.sendToQueue(next.queue, markerWire.content, markerWire.properties);
    await waitFor(async () => (await effectsOf(marker.id)).length === 1);
    expect(await outcomeCount(nextMetrics, event.type, 'duplicate')).toBe(0);
    expect(behaviour.calls).toBe(1);
    expect(await amqp.messageCount(next.queue)).toBe(0);
  });
});

describe('consumer batches', () => {
  /** Sends `events` to the consumer's queue while its first transaction is held open. */
  async function backlog(
    batching: Batching,
    build: (tenantId: string) => CloudEvent[],
    extra: Partial<Behaviour> = {},
  ) {
    const held = gate();
    const seen: { event: CloudEvent; txid: string }[] = [];
    const { tenantId, behaviour } = tenantWith({
      ...extra,
      seen: (event, txid) => seen.push({ event, txid }),
    });
    const service = uniqueName('kit-batch');
    const batched = newConsumer(service, createMetrics(service), 200, batching);
    stopLater.push(batched);
    await batched.start();
    const blocker = buildEvent('bookingx.customer.created.v1', { tenantId });
    behaviour.hold = held.wait;
    const send = (event: CloudEvent) => {
      const wire = toWire(event);
      amqp.channel.sendToQueue(batched.queue, wire.content, wire.properties);
    };
    send(blocker);
    await waitFor(() => behaviour.calls === 1, { what: 'first event in hand' });
    const events = build(tenantId);
    for (const event of events) send(event);
    // Let the broker hand the backlog over before the first transaction ends.
    await waitFor(async () => (await amqp.messageCount(batched.queue)) === 0);
    await sleep(200);
    delete behaviour.hold;
    held.open();
    return { events, seen, behaviour, send, queue: batched.queue };
  }

  it('handles a backlog in shared transactions, each event once, with its outbox rows', async () => {
    const { events, seen, behaviour } = await backlog(
      { batchSize: 25, concurrency: 2 },
      (tenantId) =>
        Array.from({ length: 60 }, () => buildEvent('bookingx.customer.created.v1', { tenantId })),
      { emits: true },
    );
    for (const event of events) {
      await waitFor(async () => (await effectsOf(event.id)).length === 1, {
        what: 'every event of the backlog handled',
      });
    }
    const backlogTx = new Set(
      seen.filter((s) => events.some((e) => e.id === s.event.id)).map((s) => s.txid),
    );
    // 60 events in batches of at most 25: three transactions at least, far fewer than 60.
    expect(backlogTx.size).toBeGreaterThanOrEqual(3);
    expect(backlogTx.size).toBeLessThan(20);
    const perTx = new Map<string, number>();
    for (const s of seen) perTx.set(s.txid, (perTx.get(s.txid) ?? 0) + 1);
    expect(Math.max(...perTx.values())).toBeLessThanOrEqual(25);
    expect(behaviour.calls).toBe(61);
    // The rows the handlers appended were written by their batch and published.
    const outbox = svc.tables.outbox;
    const tenantId = events[0]?.tenantid ?? '';
    await waitFor(
      async () => {
        const rows = await svc.database.db
          .select()
          .from(outbox)
          .where(eq(outbox.tenantId, tenantId));
        return rows.length === 61 && rows.every((r) => r.sentAt !== null);
      },
      { what: 'one published outbox row per handled event' },
    );
  });

  it('handles the rest of a batch once when one of its events fails, and dead-letters that one', async () => {
    const failIds = new Set<string>();
    let bad: CloudEvent | undefined;
    const { events, queue } = await backlog(
      { batchSize: 50, concurrency: 1 },
      (tenantId) => {
        const list = Array.from({ length: 30 }, () =>
          buildEvent('bookingx.customer.created.v1', { tenantId }),
        );
        bad = list[12];
        if (bad) failIds.add(bad.id);
        return list;
      },
      { failIds },
    );
    if (!bad) throw new Error('no failing event');
    const badId = bad.id;
    for (const event of events) {
      if (event.id === badId) continue;
      await waitFor(async () => (await effectsOf(event.id)).length === 1, {
        what: 'the good events of the batch handled',
      });
    }
    await waitFor(async () => (await amqp.messageCount(`${queue}.dlq`)) === 1, {
      timeoutMs: 20_000,
      what: 'the failing event dead-lettered',
    });
    for (const event of events) {
      expect(await effectsOf(event.id)).toHaveLength(event.id === badId ? 0 : 1);
    }
  });

  it('handles one subject’s events in arrival order, never in two transactions at once', async () => {
    const subjects = ['1001', '1002', '1003'];
    const { events, seen } = await backlog({ batchSize: 4, concurrency: 4 }, (tenantId) =>
      Array.from({ length: 45 }, (_, i) => {
        const bookingxId = subjects[i % subjects.length] ?? '1001';
        return buildEvent('bookingx.customer.created.v1', {
          tenantId,
          data: { customer: { bookingx_id: bookingxId } },
        });
      }),
    );
    for (const event of events) {
      await waitFor(async () => (await effectsOf(event.id)).length === 1);
    }
    const handled = seen.filter((s) => events.some((e) => e.id === s.event.id));
    for (const subject of new Set(events.map((e) => e.subject))) {
      const sent = events.filter((e) => e.subject === subject).map((e) => e.id);
      const order = handled.filter((s) => s.event.subject === subject).map((s) => s.event.id);
      expect(order).toEqual(sent);
    }
    // With four batches at once and three subjects, some transaction held two subjects'
    // events or several ran in parallel; but no subject was split across concurrent ones.
    const txOfSubject = new Map<string, string[]>();
    for (const s of handled) {
      const list = txOfSubject.get(s.event.subject ?? '') ?? [];
      if (list.at(-1) !== s.txid) list.push(s.txid);
      txOfSubject.set(s.event.subject ?? '', list);
    }
    for (const list of txOfSubject.values()) {
      // A subject's transactions follow each other: none returns after another began.
      expect(new Set(list).size).toBe(list.length);
    }
  });
});

describe('consumer batch handlers', () => {
  /** Sends `events` to a consumer with set handlers while its first transaction is held open. */
  async function backlog(
    build: (tenantId: string) => CloudEvent[],
    extra: Partial<Behaviour> = {},
  ) {
    const held = gate();
    const handled: { event: CloudEvent; txid: string }[] = [];
    const { tenantId, behaviour } = tenantWith({
      ...extra,
      sets: [],
      seen: (event, txid) => handled.push({ event, txid }),
    });
    const service = uniqueName('kit-sets');
    const consumer = newConsumer(service, undefined, 200, {
      batchSize: 50,
      concurrency: 1,
      handlers: mixedHandlers,
    });
    stopLater.push(consumer);
    await consumer.start();
    const send = (event: CloudEvent) => {
      const wire = toWire(event);
      amqp.channel.sendToQueue(consumer.queue, wire.content, wire.properties);
    };
    behaviour.hold = held.wait;
    send(buildEvent('bookingx.customer.created.v1', { tenantId }));
    await waitFor(() => behaviour.calls === 1, { what: 'first event in hand' });
    const events = build(tenantId);
    for (const event of events) send(event);
    await waitFor(async () => (await amqp.messageCount(consumer.queue)) === 0);
    await sleep(200);
    delete behaviour.hold;
    held.open();
    return { events, handled, behaviour, send, queue: consumer.queue, sets: behaviour.sets ?? [] };
  }

  /** A BookingX customer's events: booking created and cancelled (a set) and customer updates. */
  function customerStory(tenantId: string, rounds: number): CloudEvent[] {
    const customers = [nextBxId(), nextBxId(), nextBxId()];
    const kinds = [
      'bookingx.booking.created.v1',
      'bookingx.customer.created.v1',
      'bookingx.booking.cancelled.v1',
    ] as const;
    return Array.from({ length: rounds * kinds.length * customers.length }, (_, i) => {
      const bx = customers[i % customers.length] ?? '';
      const kind = kinds[Math.floor(i / customers.length) % kinds.length];
      if (kind === 'bookingx.customer.created.v1') {
        return buildEvent(kind, { tenantId, data: { customer: { bookingx_id: bx } } });
      }
      return buildEvent(kind ?? 'bookingx.booking.created.v1', {
        tenantId,
        data: { booking: { customer: { bookingx_id: bx } } },
      });
    });
  }

  it('hands a set handler its events together, each customer’s events in order across types', async () => {
    const { events, handled, sets } = await backlog((tenantId) => customerStory(tenantId, 3));
    for (const event of events) {
      await waitFor(async () => (await effectsOf(event.id)).length === 1, {
        what: 'every event of the backlog handled',
      });
    }
    const subjects = new Set(events.map((e) => e.subject));
    expect(subjects.size).toBe(3);
    for (const subject of subjects) {
      const sent = events.filter((e) => e.subject === subject).map((e) => e.id);
      const order = handled.filter((h) => h.event.subject === subject).map((h) => h.event.id);
      expect(order).toEqual(sent);
    }
    // The 18 booking events came in a few sets, some with both types and several customers.
    const bookingIds = new Set(
      events.filter((e) => e.type !== 'bookingx.customer.created.v1').map((e) => e.id),
    );
    expect(sets.flat().sort()).toEqual([...bookingIds].sort());
    expect(sets.length).toBeLessThan(bookingIds.size / 2);
    const typesOf = (set: string[]) =>
      new Set(set.map((id) => events.find((e) => e.id === id)?.type));
    expect(sets.some((set) => typesOf(set).size === 2)).toBe(true);
    // One transaction for the whole backlog: nothing was rolled back and retried one by one.
    const ids = new Set(events.map((e) => e.id));
    expect(new Set(handled.filter((h) => ids.has(h.event.id)).map((h) => h.txid)).size).toBe(1);
  });

  it('has one effect for an event that reaches a set handler twice', async () => {
    const { events, send, sets } = await backlog((tenantId) => {
      const event = buildEvent('bookingx.booking.created.v1', { tenantId });
      return [event, buildEvent('bookingx.booking.created.v1', { tenantId }), event];
    });
    const [event] = events;
    if (!event) throw new Error('no event');
    await waitFor(async () => (await effectsOf(event.id)).length === 1);
    // Delivered again later: the marker after it is handled once the copy has been.
    send(event);
    const marker = buildEvent('bookingx.booking.created.v1', { tenantId: event.tenantid });
    send(marker);
    await waitFor(async () => (await effectsOf(marker.id)).length === 1);
    expect(await effectsOf(event.id)).toHaveLength(1);
    expect(sets.flat().filter((id) => id === event.id)).toHaveLength(1);
  });

  it('dead-letters a poison event of a set, and applies the others once', async () => {
    const failIds = new Set<string>();
    const { events, queue } = await backlog(
      (tenantId) => {
        const list = customerStory(tenantId, 2);
        const bad = list.find((e) => e.type === 'bookingx.booking.cancelled.v1');
        if (bad) failIds.add(bad.id);
        return list;
      },
      { failIds },
    );
    expect(failIds.size).toBe(1);
    for (const event of events) {
      if (failIds.has(event.id)) continue;
      await waitFor(async () => (await effectsOf(event.id)).length === 1, {
        what: 'the good events of the set handled',
      });
    }
    await waitFor(async () => (await amqp.messageCount(`${queue}.dlq`)) === 1, {
      timeoutMs: 20_000,
      what: 'the poison event dead-lettered',
    });
    for (const event of events) {
      expect(await effectsOf(event.id)).toHaveLength(failIds.has(event.id) ? 0 : 1);
    }
  });
});
