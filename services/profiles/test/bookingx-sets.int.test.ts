import { bookingxCustomerId, makeEvent, type Customer, type TypedEvent } from '@crm/contracts';
import { isBatchHandler, transaction } from '@crm/service-kit';
import { describe, expect, it } from 'vitest';
import { api, buildEvent, newTenant, nextBxId, sleep, tokenFor, waitFor } from '@crm/testing';
import type {
  BookingxBookingType,
  BookingxFact,
} from '../src/domain/customers/apply-bookingx-facts.js';
import { bookingxFacts } from '../src/events/bookingx.handler.js';
import { handlers } from '../src/events/handlers.js';
import { profilesService } from '../src/service.js';
import { useProfiles } from './fixtures.js';

const { svc, bus, create } = useProfiles();

async function query<R extends object>(text: string, params: unknown[]): Promise<R[]> {
  return (await svc.kit.database.pool.query<R>(text, params)).rows;
}

/** A BookingX customer as the facts name them. */
interface Person {
  bx: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  phone?: string;
}

function personOf(p: Person) {
  return {
    bookingx_id: p.bx,
    first_name: p.first_name ?? 'Grace',
    last_name: p.last_name ?? 'Hopper',
    ...(p.email === undefined ? {} : { email: p.email }),
    ...(p.phone === undefined ? {} : { phone: p.phone }),
  };
}

function customerFact(
  type: 'bookingx.customer.created.v1' | 'bookingx.customer.updated.v1',
  tenantId: string,
  p: Person,
  time: string,
): BookingxFact {
  // Sent whole, as BookingX sends them: no default of the builder stays.
  return makeEvent({
    type,
    source: 'bookingx/test',
    tenantId,
    time: new Date(time),
    subject: bookingxCustomerId(tenantId, p.bx),
    data: { customer: personOf(p) },
  });
}

function bookingFact(
  type: BookingxBookingType,
  tenantId: string,
  p: Person,
  time: string,
  startAt = '2026-05-12T10:00:00.000Z',
): BookingxFact {
  const event: TypedEvent<BookingxBookingType> = buildEvent<BookingxBookingType>(type, {
    tenantId,
    time: new Date(time),
    data: {
      booking: {
        customer: personOf(p),
        start_at: startAt,
        end_at: new Date(Date.parse(startAt) + 45 * 60_000).toISOString(),
      },
    },
  });
  return event;
}

/** `events` in one transaction prepared as the consumer prepares its own. */
async function applyAsSet(events: BookingxFact[]): Promise<void> {
  const facts = bookingxFacts(svc.deps);
  await transaction(svc.kit.database.db, async (ctx) => {
    profilesService.consumer?.(svc.deps).transaction?.begin?.(ctx);
    svc.kit.outbox.defer(ctx);
    ctx.onBeforeCommit(() => svc.kit.outbox.flush(ctx));
    await facts.batch({ tx: ctx.db, outbox: svc.kit.outbox, logger: svc.kit.logger }, events);
  });
}

async function applyOneByOne(events: BookingxFact[]): Promise<void> {
  for (const event of events) await applyAsSet([event]);
}

/** Letters of BookingX customers, shared by the tenants that tell the same story. */
const LETTERS = ['a', 'b', 'c', 'd', 'e', 'f', 'h'] as const;
type Letter = (typeof LETTERS)[number];

/**
 * What the tenant's customers came to, with ids named by letter (`g` is a CRM customer) and
 * the events of the story by their place in it, so that two tenants told the same story
 * compare equal.
 */
async function stateOf(
  tenant: string,
  bx: Record<Letter, string>,
  g: string,
  story: BookingxFact[],
  outboxAfter: number,
) {
  const names = new Map<string, string>(LETTERS.map((l) => [bookingxCustomerId(tenant, bx[l]), l]));
  names.set(g, 'g');
  const name = (id: string) => names.get(id) ?? id;
  const place = new Map(story.map((e, i) => [e.id, `#${i}`]));
  const via = (v: string) => v.replace(/ (\S+)$/, (_, id: string) => ` ${place.get(id) ?? id}`);
  const customers = await query<Record<string, unknown> & { id: string }>(
    `SELECT id, first_name, last_name, email, phone, timezone, customer_stage, customer_status,
            source, version, bookingx_synced_at, last_booking_at,
            CASE WHEN source = 'bookingx' THEN created_at END AS created_at
       FROM profiles.customers WHERE tenant_id = $1`,
    [tenant],
  );
  const phones = await query<{ customer_id: string }>(
    `SELECT customer_id, number, type, is_primary, position FROM profiles.customer_phones
      WHERE tenant_id = $1 ORDER BY customer_id, position`,
    [tenant],
  );
  const refs = await query<{ customer_id: string; external_id: string }>(
    'SELECT customer_id, external_id FROM profiles.external_refs WHERE tenant_id = $1',
    [tenant],
  );
  const audit = await query<{ customer_id: string; field: string; via: string; actor: string }>(
    `SELECT customer_id, field, via, actor_type AS actor FROM profiles.audit_log
      WHERE tenant_id = $1 ORDER BY seq`,
    [tenant],
  );
  const events = await query<{ envelope: Record<string, unknown> }>(
    'SELECT envelope FROM profiles.outbox WHERE tenant_id = $1 AND seq > $2 ORDER BY seq',
    [tenant, outboxAfter],
  );
  const byName = <T extends { customer_id: string }>(rows: T[]) =>
    rows
      .map((r) => ({ ...r, customer_id: name(r.customer_id) }))
      .sort((x, y) => x.customer_id.localeCompare(y.customer_id));
  return {
    customers: customers
      .map(({ id, ...row }) => ({ ...row, id: name(id) }))
      .sort((x, y) => x.id.localeCompare(y.id)),
    phones: byName(phones),
    refs: byName(refs),
    audit: audit.map((r) => ({ ...r, customer_id: name(r.customer_id), via: via(r.via) })),
    events: events.map(({ envelope }) => {
      const data = envelope.data as { customer?: Record<string, unknown> };
      const customer = data.customer
        ? {
            ...data.customer,
            id: name(String(data.customer.id)),
            tenant_id: undefined,
            updated_at: undefined,
          }
        : undefined;
      return {
        type: String(envelope.type),
        subject: name(String(envelope.subject)),
        sequence: String(envelope.sequence),
        data: { ...data, customer },
      };
    }),
  };
}

/**
 * A tenant where `e` is a BookingX customer, `f` one merged into the CRM customer `g`, and `h`
 * an erased one; returns `g`'s id and where the outbox stood afterwards.
 */
async function prepareTenant(
  tenant: string,
  bx: Record<Letter, string>,
): Promise<{ g: string; outboxAfter: number; setup: BookingxFact[] }> {
  const admin = await tokenFor(tenant, 'admin');
  const setup = [
    customerFact(
      'bookingx.customer.created.v1',
      tenant,
      { bx: bx.e, phone: '+44 20 7946 0019' },
      '2026-01-01T09:00:00Z',
    ),
    customerFact('bookingx.customer.created.v1', tenant, { bx: bx.f }, '2026-01-01T09:00:00Z'),
    customerFact('bookingx.customer.created.v1', tenant, { bx: bx.h }, '2026-01-01T09:00:00Z'),
  ];
  await applyOneByOne(setup);
  const g = await create(admin, {
    first_name: 'Gina',
    last_name: 'Gray',
    email: 'gina@example.com',
  });
  const merged = await api(svc.url)
    .as(admin)
    .post(`/crm/customers/${g.id}/merge`, {
      merge_ids: [bookingxCustomerId(tenant, bx.f)],
      field_choices: {},
    });
  expect(merged.status, JSON.stringify(merged.body)).toBe(200);
  const erased = await api(svc.url)
    .as(admin)
    .post(`/crm/customers/${bookingxCustomerId(tenant, bx.h)}/erase`, { reason: 'asked' });
  expect(erased.status, JSON.stringify(erased.body)).toBe(200);
  const [last] = await query<{ seq: number }>(
    'SELECT coalesce(max(seq), 0)::int AS seq FROM profiles.outbox WHERE tenant_id = $1',
    [tenant],
  );
  return { g: g.id, outboxAfter: last?.seq ?? 0, setup };
}

/** Several customers, every kind of fact, late and repeated ones among them. */
function storyOf(tenant: string, bx: Record<Letter, string>): BookingxFact[] {
  const a = { bx: bx.a, email: 'a@example.com', phone: '+44 20 7946 0018' };
  const b = { bx: bx.b, first_name: 'Bo', last_name: 'Berg', phone: '+49 30 901820' };
  return [
    customerFact('bookingx.customer.created.v1', tenant, a, '2026-02-01T10:00:00Z'),
    bookingFact('bookingx.booking.created.v1', tenant, b, '2026-02-01T11:00:00Z'),
    bookingFact(
      'bookingx.booking.created.v1',
      tenant,
      { ...a, phone: '+44 7911 123456' },
      '2026-02-01T12:00:00Z',
    ),
    customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { ...a, email: 'a.new@example.com', last_name: 'Hopper-Smith' },
      '2026-03-01T10:00:00Z',
    ),
    // Older than the update before it: not applied.
    customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { ...a, email: 'a.old@example.com' },
      '2026-02-15T10:00:00Z',
    ),
    bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      a,
      '2026-05-12T11:00:00Z',
      '2026-05-12T10:00:00.000Z',
    ),
    customerFact(
      'bookingx.customer.created.v1',
      tenant,
      { bx: bx.c, phone: '+44 20 7946 0020' },
      '2026-02-01T10:00:00Z',
    ),
    customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { bx: bx.c, phone: '+44 20 7946 0021' },
      '2026-02-02T10:00:00Z',
    ),
    bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      { bx: bx.d },
      '2026-06-01T10:00:00Z',
      '2026-06-01T08:00:00.000Z',
    ),
    bookingFact('bookingx.booking.cancelled.v1', tenant, b, '2026-02-03T10:00:00Z'),
    customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { ...b, first_name: 'Bob' },
      '2026-02-04T10:00:00Z',
    ),
    bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      { bx: bx.e, phone: '+44 20 7946 0019' },
      '2026-03-03T12:00:00Z',
      '2026-03-03T10:00:00.000Z',
    ),
    // Merged into g: its visit is g's, its profile stays g's.
    bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      { bx: bx.f },
      '2026-07-01T12:00:00Z',
      '2026-07-01T10:00:00.000Z',
    ),
    customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { bx: bx.f, first_name: 'Fay' },
      '2026-07-02T10:00:00Z',
    ),
    // Erased: nothing comes back.
    customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { bx: bx.h, first_name: 'Hal' },
      '2026-07-02T10:00:00Z',
    ),
    bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      { bx: bx.h },
      '2026-07-03T12:00:00Z',
      '2026-07-03T10:00:00.000Z',
    ),
    bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      a,
      '2026-05-20T11:00:00Z',
      '2026-05-20T10:00:00.000Z',
    ),
    // A late fact about an earlier visit: the last booking does not move back.
    bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      a,
      '2026-05-13T11:00:00Z',
      '2026-04-01T09:00:00.000Z',
    ),
    bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      { bx: bx.f },
      '2026-07-04T12:00:00Z',
      '2026-06-01T10:00:00.000Z',
    ),
  ];
}

/** Holds the lock a customer's facts take first, so what arrives meanwhile queues up behind it. */
async function holdCustomer(tenant: string, customerId: string): Promise<() => Promise<void>> {
  const client = await svc.kit.database.pool.connect();
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [
    `profiles:customer:${tenant}:${customerId}`,
  ]);
  return async () => {
    await client.query('SELECT pg_advisory_unlock_all()');
    client.release();
  };
}

/** Publishes `first`, holds it while `backlog` queues up behind it, then lets them all go. */
async function publishBehind(
  tenant: string,
  customerId: string,
  first: BookingxFact,
  backlog: BookingxFact[],
): Promise<void> {
  const release = await holdCustomer(tenant, customerId);
  try {
    await bus.publish([first]);
    await bus.publish(backlog);
    await waitFor(async () => (await svc.consumer.depth()) === 0, {
      what: 'the backlog in the consumer’s hands',
    });
    await sleep(200);
  } finally {
    await release();
  }
}

async function handled(eventIds: string[]): Promise<void> {
  await waitFor(
    async () => {
      const [row] = await query<{ n: number }>(
        'SELECT count(*)::int AS n FROM profiles.inbox WHERE event_id = ANY($1)',
        [eventIds],
      );
      return row?.n === new Set(eventIds).size;
    },
    { what: `${eventIds.length} events handled` },
  );
}

describe('BookingX facts as sets', () => {
  it('hands every BookingX type to one set handler', () => {
    const wired = handlers(svc.deps);
    const facts = wired['bookingx.customer.created.v1'];
    expect(facts && isBatchHandler(facts)).toBe(true);
    for (const type of [
      'bookingx.customer.updated.v1',
      'bookingx.booking.created.v1',
      'bookingx.booking.rescheduled.v1',
      'bookingx.booking.completed.v1',
      'bookingx.booking.cancelled.v1',
      'bookingx.booking.no_show.v1',
    ] as const) {
      expect(wired[type]).toBe(facts);
    }
  });

  it('gives a set of several customers’ facts of every kind the same result as one by one', async () => {
    const bx = Object.fromEntries(LETTERS.map((l) => [l, nextBxId()])) as Record<Letter, string>;
    const [bySet, byOne] = [newTenant(), newTenant()];
    const setTenant = await prepareTenant(bySet, bx);
    const oneTenant = await prepareTenant(byOne, bx);
    const setStory = storyOf(bySet, bx);
    const oneStory = storyOf(byOne, bx);
    const gBefore = await query<{ version: number }>(
      'SELECT version FROM profiles.customers WHERE tenant_id = $1 AND id = $2',
      [bySet, setTenant.g],
    );

    await applyAsSet(setStory);
    await applyOneByOne(oneStory);

    const bySetState = await stateOf(
      bySet,
      bx,
      setTenant.g,
      [...setTenant.setup, ...setStory],
      setTenant.outboxAfter,
    );
    const byOneState = await stateOf(
      byOne,
      bx,
      oneTenant.g,
      [...oneTenant.setup, ...oneStory],
      oneTenant.outboxAfter,
    );
    expect(bySetState).toEqual(byOneState);

    // And that result is the right one.
    const admin = await tokenFor(bySet, 'admin');
    const read = async (id: string) =>
      (await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`)).body;
    const id = (l: Letter) => bookingxCustomerId(bySet, bx[l]);
    expect(await read(id('a'))).toMatchObject({
      email: 'a.new@example.com',
      last_name: 'Hopper-Smith',
      phones: [
        { number: '+442079460018', primary: true },
        { number: '+447911123456', primary: false },
      ],
      last_booking_at: '2026-05-20T10:00:00.000Z',
      version: 3,
    });
    expect(await read(id('b'))).toMatchObject({ first_name: 'Bob', version: 2 });
    expect(await read(id('c'))).toMatchObject({ phone: '+442079460021', version: 2 });
    expect(await read(id('d'))).toMatchObject({
      source: 'bookingx',
      last_booking_at: '2026-06-01T08:00:00.000Z',
      version: 1,
    });
    // A visit alone is no new version and no announcement.
    expect(await read(id('e'))).toMatchObject({
      last_booking_at: '2026-03-03T10:00:00.000Z',
      version: 1,
    });
    expect(await read(setTenant.g)).toMatchObject({
      first_name: 'Gina',
      last_booking_at: '2026-07-01T10:00:00.000Z',
      version: gBefore[0]?.version,
    });
    expect(
      (
        await api(svc.url)
          .as(admin)
          .get(`/crm/customers/${id('h')}`)
      ).status,
    ).toBe(404);
    expect(
      await query('SELECT id FROM profiles.customers WHERE tenant_id = $1 AND id = $2', [
        bySet,
        id('h'),
      ]),
    ).toEqual([]);
    expect(bySetState.events.map((e) => `${e.type} ${e.subject} ${e.sequence}`)).toEqual([
      'crm.customer.created.v1 a 1',
      'crm.customer.created.v1 b 1',
      'crm.customer.updated.v1 a 2',
      'crm.customer.updated.v1 a 3',
      'crm.customer.created.v1 c 1',
      'crm.customer.updated.v1 c 2',
      'crm.customer.created.v1 d 1',
      'crm.customer.updated.v1 b 2',
    ]);
  });

  it('applies a customer’s backlog from the bus in one transaction, each event once', async () => {
    const tenant = newTenant();
    const a = { bx: nextBxId(), email: 'a@example.com', phone: '+44 20 7946 0018' };
    const b = { bx: nextBxId(), phone: '+49 30 901820' };
    const id = bookingxCustomerId(tenant, a.bx);
    const listener = await bus.listen('crm.events', 'crm.customer.#');
    const first = customerFact('bookingx.customer.created.v1', tenant, a, '2026-02-01T10:00:00Z');
    const joined = bookingFact(
      'bookingx.booking.created.v1',
      tenant,
      { ...a, phone: '+44 7911 123456' },
      '2026-02-02T10:00:00Z',
    );
    const renamed = customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { ...a, last_name: 'Hopper-Smith' },
      '2026-03-01T10:00:00Z',
    );
    const visit = bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      a,
      '2026-05-12T11:00:00Z',
      '2026-05-12T10:00:00.000Z',
    );
    const other = bookingFact('bookingx.booking.created.v1', tenant, b, '2026-02-02T10:00:00Z');
    // The booking is delivered twice.
    const backlog = [joined, renamed, joined, visit, other];
    await publishBehind(tenant, id, first, backlog);
    await handled([first, ...backlog].map((e) => e.id));

    const entries = await query<{ via: string; tx: string }>(
      `SELECT via, xmin::text AS tx FROM profiles.audit_log
        WHERE tenant_id = $1 AND customer_id = $2`,
      [tenant, id],
    );
    const txOf = (event: BookingxFact) =>
      new Set(entries.filter((e) => e.via.endsWith(event.id)).map((e) => e.tx));
    // The backlog's changes were written by one transaction: the set was not rolled back.
    expect(txOf(joined).size).toBe(1);
    expect(txOf(renamed)).toEqual(txOf(joined));
    expect(txOf(first)).not.toEqual(txOf(joined));

    const admin = await tokenFor(tenant, 'admin');
    const customer = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
    expect(customer.body).toMatchObject({
      last_name: 'Hopper-Smith',
      phones: [
        { number: '+442079460018', primary: true },
        { number: '+447911123456', primary: false },
      ],
      last_booking_at: '2026-05-12T10:00:00.000Z',
      version: 3,
    });
    const announced = await waitFor(
      () => {
        const list = listener.events.filter((e) => e.subject === id);
        return list.length >= 3 && list;
      },
      { what: 'the customer’s events' },
    );
    await sleep(200);
    expect(announced.map((e) => `${e.type} ${e.sequence}`)).toEqual([
      'crm.customer.created.v1 1',
      'crm.customer.updated.v1 2',
      'crm.customer.updated.v1 3',
    ]);
    expect(listener.events.filter((e) => e.subject === id)).toHaveLength(3);
    await listener.close();
  });

  it('parks a poison event of a set and applies the rest of it', async () => {
    const tenant = newTenant();
    const a = { bx: nextBxId(), email: 'a@example.com', phone: '+44 20 7946 0018' };
    const id = bookingxCustomerId(tenant, a.bx);
    const first = customerFact('bookingx.customer.created.v1', tenant, a, '2026-02-01T10:00:00Z');
    const joined = bookingFact(
      'bookingx.booking.created.v1',
      tenant,
      { ...a, phone: '+44 7911 123456' },
      '2026-02-02T10:00:00Z',
    );
    const renamed = customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { ...a, email: 'a.new@example.com' },
      '2026-03-01T10:00:00Z',
    );
    // An address longer than the column holds: every attempt at it fails.
    const poison = customerFact(
      'bookingx.customer.updated.v1',
      tenant,
      { ...a, email: `${'x'.repeat(250)}@example.com` },
      '2026-03-02T10:00:00Z',
    );
    const visit = bookingFact(
      'bookingx.booking.completed.v1',
      tenant,
      a,
      '2026-05-12T11:00:00Z',
      '2026-05-12T10:00:00.000Z',
    );
    const c = { bx: nextBxId() };
    const another = customerFact('bookingx.customer.created.v1', tenant, c, '2026-02-01T10:00:00Z');
    const backlog = [joined, renamed, poison, visit, another];
    await publishBehind(tenant, id, first, backlog);
    await handled([first, joined, renamed, visit, another].map((e) => e.id));
    await waitFor(
      async () =>
        (await query('SELECT 1 FROM profiles.dead_letters WHERE event_id = $1', [poison.id]))
          .length === 1,
      { timeoutMs: 30_000, what: 'the poison event dead-lettered' },
    );
    expect(await query('SELECT 1 FROM profiles.inbox WHERE event_id = $1', [poison.id])).toEqual(
      [],
    );

    const admin = await tokenFor(tenant, 'admin');
    const customer = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
    expect(customer.body).toMatchObject({
      email: 'a.new@example.com',
      phones: [
        { number: '+442079460018', primary: true },
        { number: '+447911123456', primary: false },
      ],
      last_booking_at: '2026-05-12T10:00:00.000Z',
      version: 3,
    });
    expect(
      (
        await api(svc.url)
          .as(admin)
          .get(`/crm/customers/${bookingxCustomerId(tenant, c.bx)}`)
      ).status,
    ).toBe(200);
  });
});
