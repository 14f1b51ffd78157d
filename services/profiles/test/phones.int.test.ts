import {
  bookingxCustomerId,
  makeEvent,
  type AuditEntry,
  type CloudEvent,
  type Customer,
  type DuplicateList,
  type Me,
  type Page,
  type Problem,
  type SearchPage,
} from '@crm/contracts';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  api,
  buildCustomer,
  buildEvent,
  newTenant,
  startTestService,
  tokenFor,
  waitFor,
} from '@crm/testing';
import { profilesService } from '../src/service.js';
import { useProfiles } from './fixtures.js';
import { startMeiliStandIn } from './meili-stand-in.js';

const { svc, bus, create } = useProfiles();

// A German mobile, a Berlin landline, a London landline and a US number (fixed or mobile).
const MOBILE = '+4915112345678';
const BERLIN = '+4930901820';
const LONDON = '+442079460001';
const US = '+12025550143';

async function get(token: string, id: string): Promise<Customer> {
  const r = await api(svc.url).as(token).get<Customer>(`/crm/customers/${id}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function patch(token: string, id: string, body: Record<string, unknown>) {
  return api(svc.url).as(token).patch<Customer & Problem>(`/crm/customers/${id}`, body);
}

/** Numbers as `number:type` with a star on the primary, in the order the API gives them. */
function summary(c: { phones?: Customer['phones'] }): string[] {
  return (c.phones ?? []).map((p) => `${p.primary ? '*' : ''}${p.number}:${p.type}`);
}

describe('phone numbers of a customer', () => {
  it('keeps a list with one primary, detects the type, and keeps phone as the primary', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const listener = await bus.listen('crm.events', 'crm.customer.updated.v1');

    const c = await create(admin, {
      phone: undefined,
      phones: [
        { number: '030 901820' },
        { number: '0151 12345678', primary: true },
        { number: '+44 20 7946 0001', type: 'work' },
      ],
    });
    expect(summary(c)).toEqual([`*${MOBILE}:mobile`, `${BERLIN}:other`, `${LONDON}:work`]);
    expect(c.phone).toBe(MOBILE);
    expect(await get(admin, c.id)).toEqual(c);

    // Writing phone replaces the primary; the other numbers stay.
    const replaced = await patch(admin, c.id, { phone: '+1 202 555 0143' });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(summary(replaced.body)).toEqual([`*${US}:other`, `${BERLIN}:other`, `${LONDON}:work`]);
    expect(replaced.body.phone).toBe(US);

    // A number already listed becomes primary with its type.
    const promoted = await patch(admin, c.id, { phone: LONDON });
    expect(summary(promoted.body)).toEqual([`*${LONDON}:work`, `${BERLIN}:other`]);

    // null removes the primary and the next number takes its place.
    const removed = await patch(admin, c.id, { phone: null });
    expect(summary(removed.body)).toEqual([`*${BERLIN}:other`]);
    expect(removed.body.phone).toBe(BERLIN);

    // phones replaces the list; without a marked primary the first one is.
    const listed = await patch(admin, c.id, {
      phones: [{ number: LONDON, type: 'home' }, { number: MOBILE }],
    });
    expect(summary(listed.body)).toEqual([`*${LONDON}:home`, `${MOBILE}:mobile`]);
    expect(listed.body.phone).toBe(LONDON);

    const cleared = await patch(admin, c.id, { phones: [] });
    expect(cleared.body.phones).toEqual([]);
    expect(cleared.body.phone).toBeNull();
    expect(cleared.body.version).toBe(6);

    const events = await waitFor(
      () =>
        Promise.resolve(listener.events.filter((e) => e.subject === c.id)).then(
          (l) => l.length >= 5 && l,
        ),
      { what: 'updated events' },
    );
    const first = events[0]?.data as { customer: Customer; changed_fields: string[] };
    expect(first.changed_fields).toEqual(expect.arrayContaining(['phone', 'phones']));
    expect(summary(first.customer)).toEqual(summary(replaced.body));
    await listener.close();

    const trail = await waitFor(async () => {
      const r = await api(svc.url)
        .as(admin)
        .get<Page<AuditEntry>>(`/crm/customers/${c.id}/audit?field=phones`);
      return r.status === 200 && r.body.data.length >= 5 && r.body.data;
    });
    const latest = trail.find((e) => Array.isArray(e.new_value) && e.new_value.length === 0);
    expect(latest).toMatchObject({ field: 'phones', via: 'PATCH /crm/customers/{id}' });
    expect(latest?.old_value).toEqual(listed.body.phones);
  });

  it('gives a customer written with phone alone a one-number list', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const c = await create(admin, { phone: '+49 30 901820' });
    expect(summary(c)).toEqual([`*${BERLIN}:other`]);
    const none = await create(admin, { phone: null });
    expect(none.phones).toEqual([]);
    expect(none.phone).toBeNull();
  });

  it('refuses bad lists with a 422 naming each bad entry, and changes nothing', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const c = await create(admin, { phone: BERLIN });

    const cases: [Record<string, unknown>, { field: string; code: string }[]][] = [
      [
        { phones: [{ number: BERLIN }, { number: '12' }] },
        [{ field: 'phones[1].number', code: 'invalid_phone' }],
      ],
      [
        {
          phones: [
            { number: BERLIN, primary: true },
            { number: MOBILE, primary: true },
          ],
        },
        [{ field: 'phones[1].primary', code: 'multiple_primary' }],
      ],
      [
        { phones: [{ number: BERLIN }, { number: '030 901820' }] },
        [{ field: 'phones[1].number', code: 'duplicate_phone' }],
      ],
      [
        { phones: Array.from({ length: 11 }, (_, i) => ({ number: `+4930901${820 + i}` })) },
        [{ field: 'phones', code: 'too_big' }],
      ],
      [
        { phones: [{ number: MOBILE, type: 'pager' }] },
        [{ field: 'phones.0.type', code: 'invalid_value' }],
      ],
      [
        { phones: [{ number: MOBILE, extension: '12' }] },
        [{ field: 'phones.0.extension', code: 'unrecognized_key' }],
      ],
      [
        { phone: MOBILE, phones: [{ number: MOBILE }] },
        [{ field: 'phone', code: 'conflicts_with_phones' }],
      ],
    ];
    for (const [body, errors] of cases) {
      const r = await patch(admin, c.id, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors).toHaveLength(errors.length);
      errors.forEach((e, i) => {
        expect(r.body.errors?.[i]).toMatchObject(e);
      });

      const refused = await api(svc.url)
        .as(admin)
        .post<Problem>('/crm/customers', buildCustomer({ phone: undefined, ...body }));
      expect(refused.status, JSON.stringify(body)).toBe(422);
    }
    const after = await get(admin, c.id);
    expect(after.version).toBe(1);
    expect(summary(after)).toEqual([`*${BERLIN}:other`]);
    const list = await api(svc.url).as(admin).get<Page<Customer>>('/crm/customers');
    expect(list.body.data).toHaveLength(1);
  });

  it('lets only editing roles change numbers, within their access', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const c = await create(admin, { phone: BERLIN, owner_id: 'rep-1' });
    const body = { phones: [{ number: MOBILE }] };
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' });
    expect((await patch(rep, c.id, body)).status).toBe(200);
    const otherRep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-2' });
    expect((await patch(otherRep, c.id, body)).status).toBe(404);
    const staff = await tokenFor(tenant, 'staff', { sub: 'rep-1' });
    expect((await patch(staff, c.id, body)).status).toBe(403);
    const stranger = await tokenFor(newTenant(), 'admin');
    expect((await patch(stranger, c.id, { phones: [] })).status).toBe(404);
    expect(summary(await get(admin, c.id))).toEqual([`*${MOBILE}:mobile`]);
  });

  it('lets a customer change their own numbers through /me', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const c = await create(admin, { phone: BERLIN });
    const self = await tokenFor(tenant, 'customer', { sub: c.id });

    const me = await api(svc.url).as(self).get<Me>('/crm/me');
    expect(me.status).toBe(200);
    expect(summary(me.body)).toEqual([`*${BERLIN}:other`]);

    const changed = await api(svc.url)
      .as(self)
      .patch<Me>('/crm/me', {
        phones: [
          { number: BERLIN, type: 'home' },
          { number: MOBILE, primary: true },
        ],
      });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(summary(changed.body)).toEqual([`*${MOBILE}:mobile`, `${BERLIN}:home`]);
    expect(changed.body.phone).toBe(MOBILE);

    const bad = await api(svc.url)
      .as(self)
      .patch<Problem>('/crm/me', { phones: [{ number: 'call me' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.[0]).toMatchObject({ field: 'phones[0].number' });
    expect(summary(await get(admin, c.id))).toEqual(summary(changed.body));
  });
});

describe('every number counts', () => {
  it('finds a customer by any of their numbers, and forgets a number taken off', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const c = await create(admin, {
      first_name: 'Hedy',
      last_name: 'Lamarr',
      phone: undefined,
      phones: [{ number: BERLIN }, { number: LONDON }],
    });
    const hits = async (q: string) => {
      const r = await api(svc.url)
        .as(admin)
        .get<SearchPage>(`/crm/search?q=${encodeURIComponent(q)}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.data.map((h) => h.id);
    };
    await waitFor(async () => (await hits('+44 20 7946 0001')).includes(c.id), {
      what: 'indexing',
    });
    expect(await hits('030 901820')).toEqual([c.id]);

    await patch(admin, c.id, { phones: [{ number: BERLIN }] });
    await waitFor(async () => (await hits('+44 20 7946 0001')).length === 0, {
      what: 're-indexing',
    });
    expect(await hits(BERLIN)).toEqual([c.id]);
  });

  it('suggests duplicates sharing any number, and a merge keeps every number', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const survivor = await create(admin, {
      first_name: 'Rosalind',
      last_name: 'Franklin',
      phone: undefined,
      phones: [{ number: BERLIN }, { number: US, type: 'work' }],
    });
    const other = await create(admin, {
      first_name: 'Barbara',
      last_name: 'McClintock',
      phone: undefined,
      phones: [{ number: MOBILE }, { number: US }],
    });
    const third = await create(admin, {
      first_name: 'Lise',
      last_name: 'Meitner',
      phone: LONDON,
    });

    const dups = await api(svc.url)
      .as(admin)
      .get<DuplicateList>(`/crm/customers/${survivor.id}/duplicates`);
    expect(dups.status).toBe(200);
    expect(dups.body.data.map((d) => [d.customer.id, d.reasons])).toEqual([[other.id, ['phone']]]);

    const merged = await api(svc.url)
      .as(admin)
      .post<Customer>(`/crm/customers/${survivor.id}/merge`, {
        merge_ids: [other.id],
        field_choices: {},
      });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(summary(merged.body)).toEqual([`*${BERLIN}:other`, `${US}:work`, `${MOBILE}:mobile`]);
    expect(merged.body.phone).toBe(BERLIN);

    // Choosing another customer's phone makes its primary the survivor's; nothing is lost.
    const again = await api(svc.url)
      .as(admin)
      .post<Customer>(`/crm/customers/${survivor.id}/merge`, {
        merge_ids: [third.id],
        field_choices: { phone: third.id },
      });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(summary(again.body)).toEqual([
      `*${LONDON}:other`,
      `${BERLIN}:other`,
      `${US}:work`,
      `${MOBILE}:mobile`,
    ]);
    expect(again.body.phone).toBe(LONDON);
    expect(await get(admin, survivor.id)).toEqual(again.body);
  });

  it('refuses a merge that would give the survivor more than ten numbers', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const numbers = (from: number) =>
      Array.from({ length: 6 }, (_, i) => ({ number: `+4930901${from + i}` }));
    const a = await create(admin, { phone: undefined, phones: numbers(820) });
    const b = await create(admin, { phone: undefined, phones: numbers(830) });
    const r = await api(svc.url)
      .as(admin)
      .post<Problem>(`/crm/customers/${a.id}/merge`, { merge_ids: [b.id], field_choices: {} });
    expect(r.status).toBe(422);
    expect(r.body.errors?.[0]).toMatchObject({ field: 'merge_ids', code: 'too_many_phones' });
    expect((await get(admin, b.id)).phones).toHaveLength(6);
    expect((await get(admin, a.id)).version).toBe(1);
  });

  it('exports every number next to the phone column', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const c = await create(admin, {
      phone: undefined,
      phones: [{ number: BERLIN }, { number: MOBILE }],
    });
    const res = await fetch(`${svc.url}/crm/customers/export`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    const rows = parse<Record<string, string>>(await res.text(), { columns: true });
    const row = rows.find((r) => r.id === c.id);
    // Cells starting with + are defused against spreadsheet formulas.
    expect(row?.phone).toBe(`'${BERLIN}`);
    expect(row?.phones).toBe(`'${BERLIN}:other|${MOBILE}:mobile`);
  });
});

describe('numbers in the Meilisearch document', () => {
  it('indexes every number and matches a phone query against all of them', async () => {
    const standIn = await startMeiliStandIn();
    const meili = (
      await startTestService(profilesService, {
        env: {
          MEILI_URL: standIn.url,
          MEILI_INDEX: 'crm_customers_phones_test',
        },
      })
    ).service;
    try {
      const tenant = newTenant();
      const admin = await tokenFor(tenant, 'admin');
      const created = await api(meili.url)
        .as(admin)
        .post<Customer>(
          '/crm/customers',
          buildCustomer({
            phone: undefined,
            phones: [{ number: BERLIN }, { number: MOBILE }],
          }),
        );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const doc = await waitFor(() => Promise.resolve(standIn.docs.get(created.body.id)), {
        what: 'document',
      });
      expect(doc).toMatchObject({ phone: BERLIN, phones: [BERLIN, MOBILE] });

      const r = await api(meili.url)
        .as(admin)
        .get<SearchPage>(`/crm/search?q=${encodeURIComponent('0151 12345678')}`);
      expect(r.status).toBe(200);
      const search = standIn.requests.filter((q) => q.path.endsWith('/search')).at(-1);
      expect((search?.body as { filter: string[] }).filter).toEqual([
        `tenant_id = "${tenant}"`,
        `(phones = "${MOBILE}" OR phone = "${MOBILE}")`,
      ]);
    } finally {
      await meili.stop();
      await standIn.close();
    }
  });
});

function bookingEvent(tenantId: string, customerBxId: string, phone: string): CloudEvent {
  return makeEvent({
    type: 'bookingx.booking.created.v1',
    source: 'bookingx/test',
    tenantId,
    time: new Date(),
    data: {
      booking: {
        bookingx_id: String(Math.floor(Math.random() * 1e9)),
        customer: { bookingx_id: customerBxId, first_name: 'Grace', last_name: 'Hopper', phone },
        service: { id: '11', name: 'Haircut', duration_minutes: 45 },
        staff: { id: '21', name: 'Anna' },
        start_at: '2026-05-12T10:00:00.000Z',
        end_at: '2026-05-12T10:45:00.000Z',
        price: { amount_minor: 4500, currency: 'EUR' },
        status: 'confirmed',
        revision: 1,
      },
    },
  });
}

describe('numbers from BookingX', () => {
  it('creates the profile with its number as primary, and adds the number of a booking once', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const created = buildEvent('bookingx.customer.created.v1', {
      tenantId: tenant,
      data: { customer: { phone: '+44 20 7946 0001' } },
    });
    const bxId = (created.data as { customer: { bookingx_id: string } }).customer.bookingx_id;
    const id = bookingxCustomerId(tenant, bxId);
    await bus.publish([created]);
    const customer = await waitFor(async () => {
      const r = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${id}`);
      return r.status === 200 && r.body;
    });
    expect(summary(customer)).toEqual([`*${LONDON}:other`]);

    const booking = bookingEvent(tenant, bxId, '0151 12345678');
    await bus.publish([booking, booking]);
    // The row and its numbers are read one after the other: wait until both show the change.
    const withBooked = await waitFor(async () => {
      const c = await get(admin, id);
      return c.phones?.length === 2 && c.version === customer.version + 1 && c;
    });
    expect(summary(withBooked)).toEqual([`*${LONDON}:other`, `${MOBILE}:mobile`]);

    // Another booking with a number already listed changes nothing.
    const same = bookingEvent(tenant, bxId, '+49 151 12345678');
    await bus.publish([same]);
    await waitFor(async () => {
      const { rows } = await svc.kit.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM profiles.inbox WHERE event_id = $1`,
        [same.id],
      );
      return (rows[0]?.n ?? 0) > 0;
    });
    const final = await get(admin, id);
    expect(final.version).toBe(withBooked.version);
    expect(summary(final)).toEqual(summary(withBooked));
  });
});
