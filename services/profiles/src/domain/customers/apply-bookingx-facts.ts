import {
  bookingxCustomerId,
  lenientPhone,
  normaliseEmail,
  type BookingxPerson,
  type Customer,
  type CustomerPhone,
  type TypedEvent,
} from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import type { z } from 'zod';
import { keyOf } from '../../db/customers.repository.js';
import type { NewCustomerRow } from '../../db/schema.js';
import type { ChangeContext } from '../audit/audit-trail.js';
import type { ErasureDeps } from '../privacy/erasure-deps.js';
import { changedFields, recordOf, toCustomerDto, type CustomerRecord } from './customer.js';
import { BOOKINGX_ACTOR } from './customer-events.js';
import type { CustomersDeps } from './customers-deps.js';
import { isValidTimeZone } from './normalise.js';
import { detectType, primaryOf, samePhones, withNumbers, withPrimary } from './phones.js';

export type BookingxCustomerType = 'bookingx.customer.created.v1' | 'bookingx.customer.updated.v1';
export type BookingxBookingType =
  | 'bookingx.booking.created.v1'
  | 'bookingx.booking.rescheduled.v1'
  | 'bookingx.booking.completed.v1'
  | 'bookingx.booking.cancelled.v1'
  | 'bookingx.booking.no_show.v1';
export type BookingxFactType = BookingxCustomerType | BookingxBookingType;
export type BookingxFact = TypedEvent<BookingxFactType>;

type Person = z.infer<typeof BookingxPerson> & { timezone?: string | undefined };

/** What one BookingX event says about its customer. */
interface Fact {
  tenantId: string;
  /** The derived id of the BookingX customer. */
  id: string;
  key: string;
  person: Person;
  occurredAt: Date;
  /** A customer event sets the profile; a booking only creates one or adds its number. */
  mode: 'profile' | 'booking';
  /** When the visit of a completed booking took place (its start); null for other facts. */
  visitedAt: Date | null;
  ctx: ChangeContext;
}

function factOf(event: BookingxFact): Fact {
  const data = event.data;
  const booking = 'booking' in data ? data.booking : null;
  const person: Person = 'booking' in data ? data.booking.customer : data.customer;
  const id = bookingxCustomerId(event.tenantid, person.bookingx_id);
  return {
    tenantId: event.tenantid,
    id,
    key: keyOf(event.tenantid, id),
    person,
    occurredAt: new Date(event.time),
    mode: booking ? 'booking' : 'profile',
    visitedAt:
      booking && event.type === 'bookingx.booking.completed.v1' ? new Date(booking.start_at) : null,
    ctx: { actor: BOOKINGX_ACTOR, via: `${event.type} ${event.id}` },
  };
}

/** The identity fields a fact carries, and the number it names as a list. */
function identityOf(deps: CustomersDeps, person: Person) {
  const identity = {
    firstName: person.first_name.slice(0, 100) || 'Unknown',
    lastName: person.last_name.slice(0, 100),
    email: normaliseEmail(person.email) ?? null,
    phone: lenientPhone(person.phone, deps.settings.phoneRegion),
  };
  const phones: CustomerPhone[] = identity.phone
    ? [{ number: identity.phone, type: detectType(identity.phone), primary: true }]
    : [];
  return { identity, phones };
}

/** A customer the set works on: as stored when it was locked (or inserted), and as it is now. */
interface Subject {
  record: CustomerRecord;
  storedVersion: number;
  storedPhones: CustomerPhone[];
  /** The fact that created it in this set, if one did. */
  createdBy: Fact | null;
  changed: boolean;
}

type Effect =
  | { kind: 'created'; customer: Customer; ctx: ChangeContext }
  | { kind: 'changed'; before: Customer; after: Customer; ctx: ChangeContext };

/**
 * BookingX facts about customers (customer events and bookings) as one set, with the result
 * of applying them one by one in order: a customer event creates the profile with its derived
 * id or refreshes its identity when newer than the last one applied; a booking creates a
 * profile (with `autoCreateProfiles`) and adds the number booked with; a completed booking
 * moves the customer's last booking forward. An erased customer stays erased; a merged one
 * lives on in its survivor, which keeps the fields the merge chose but takes its last booking.
 *
 * Each table is read and written with one statement for the whole set, and the changes are
 * announced and audited per fact, in order, as they would have been one by one.
 */
export async function applyBookingxFacts(
  deps: { customers: CustomersDeps; erasure: ErasureDeps },
  tx: Executor,
  events: BookingxFact[],
): Promise<void> {
  const { customers, erasure } = deps;
  const autoCreate = customers.settings.autoCreateProfiles;
  const facts = events.map(factOf);
  // A fact that can change nothing (a booking where profiles are not made from bookings)
  // is left out before anything is locked, unless it moves a last booking.
  const acting = facts.filter((f) => f.mode === 'profile' || autoCreate || f.visitedAt);
  const named = unique(acting.map((f) => ({ tenantId: f.tenantId, id: f.id })));
  if (named.length === 0) return;

  // Erasure takes the same locks: whoever comes second sees the other's commit.
  await erasure.repo.lockIds(tx, named);
  // Rows first, then tombstones and merges: a merge or erasure that held a row has committed.
  const subjects = new Map<string, Subject>();
  const hold = (records: CustomerRecord[]) => {
    for (const record of records) {
      subjects.set(keyOf(record.row.tenantId, record.row.id), {
        record,
        storedVersion: record.row.version,
        storedPhones: record.phones,
        createdBy: null,
        changed: false,
      });
    }
  };
  hold(await customers.repo.lockAll(tx, named));
  const fates = await erasure.repo.fatesOf(tx, named);
  const erased = new Set<string>();
  const survivors = new Map<string, string>();
  named.forEach((n, i) => {
    const fate = fates[i];
    if (fate?.erased) erased.add(keyOf(n.tenantId, n.id));
    else if (fate?.survivorId) survivors.set(keyOf(n.tenantId, n.id), fate.survivorId);
  });
  const live = acting.filter((f) => !erased.has(f.key));

  // A merged customer's visits count for its survivor.
  const visitedSurvivors = unique(
    live.flatMap((f) => {
      const survivorId = survivors.get(f.key);
      return f.visitedAt && survivorId ? [{ tenantId: f.tenantId, id: survivorId }] : [];
    }),
  ).filter((s) => !subjects.has(keyOf(s.tenantId, s.id)));
  hold(await customers.repo.lockAll(tx, visitedSurvivors));

  await createAbsent(deps, tx, live, subjects, survivors);

  const effects: Effect[] = [];
  for (const fact of live) {
    const survivorId = survivors.get(fact.key);
    const subject = subjects.get(survivorId ? keyOf(fact.tenantId, survivorId) : fact.key);
    if (!subject) continue;
    if (!survivorId) applyFact(customers, fact, subject, effects);
    if (fact.visitedAt) visited(subject, fact.visitedAt);
  }
  await save(deps, tx, subjects, effects);
}

/**
 * Creates the profiles the set's facts name that do not exist yet, each from the first fact
 * that may create it, in one statement; a row that appeared meanwhile is locked and read
 * instead, and the fact then applies to it as to any existing one.
 */
async function createAbsent(
  deps: { customers: CustomersDeps },
  tx: Executor,
  facts: Fact[],
  subjects: Map<string, Subject>,
  survivors: Map<string, string>,
): Promise<void> {
  const { customers } = deps;
  const creators = new Map<string, Fact>();
  for (const fact of facts) {
    if (subjects.has(fact.key) || survivors.has(fact.key) || creators.has(fact.key)) continue;
    if (fact.mode === 'booking' && !customers.settings.autoCreateProfiles) continue;
    creators.set(fact.key, fact);
  }
  if (creators.size === 0) return;
  const phonesOf = new Map<string, CustomerPhone[]>();
  const rows: NewCustomerRow[] = [...creators.values()].map((fact) => {
    const { identity, phones } = identityOf(customers, fact.person);
    phonesOf.set(fact.key, phones);
    const timezone = fact.person.timezone;
    return {
      ...identity,
      timezone: timezone && isValidTimeZone(timezone) ? timezone : null,
      tenantId: fact.tenantId,
      id: fact.id,
      customerStage: customers.settings.defaultStage,
      source: 'bookingx',
      bookingxSyncedAt: fact.occurredAt,
      createdAt: fact.occurredAt,
      updatedAt: fact.occurredAt,
      lastBookingAt: fact.visitedAt,
    };
  });
  const inserted = await customers.repo.insertAllIfAbsent(tx, rows);
  const linked = await customers.repo.linkExternalRefs(
    tx,
    inserted.map((row) => ({
      tenantId: row.tenantId,
      customerId: row.id,
      externalId: creators.get(keyOf(row.tenantId, row.id))?.person.bookingx_id ?? '',
    })),
  );
  for (const row of inserted) {
    const key = keyOf(row.tenantId, row.id);
    const creator = creators.get(key);
    if (!creator) continue;
    const ref = { system: 'bookingx' as const, externalId: creator.person.bookingx_id };
    subjects.set(key, {
      record: recordOf(row, {
        refs: linked.has(key) ? [ref] : [],
        phones: phonesOf.get(key) ?? [],
      }),
      storedVersion: row.version,
      // Its numbers are written with the others' at the end.
      storedPhones: [],
      createdBy: creator,
      changed: false,
    });
    creators.delete(key);
  }
  // Created by someone else since the set locked: locked now, and updated like any other.
  const raced = await customers.repo.lockAll(
    tx,
    [...creators.values()].map((f) => ({ tenantId: f.tenantId, id: f.id })),
  );
  for (const record of raced) {
    subjects.set(keyOf(record.row.tenantId, record.row.id), {
      record,
      storedVersion: record.row.version,
      storedPhones: record.phones,
      createdBy: null,
      changed: false,
    });
  }
}

/** One fact on its customer, in memory, with what it announces. */
function applyFact(deps: CustomersDeps, fact: Fact, subject: Subject, effects: Effect[]): void {
  if (subject.createdBy === fact) {
    const { row, phones } = subject.record;
    const ref = { system: 'bookingx' as const, externalId: fact.person.bookingx_id };
    // Announced as it was inserted, whatever later facts of the set make of it.
    effects.push({
      kind: 'created',
      customer: toCustomerDto(recordOf(row, { refs: [ref], phones })),
      ctx: fact.ctx,
    });
    return;
  }
  if (fact.mode === 'booking' && !deps.settings.autoCreateProfiles) return;
  const { identity, phones } = identityOf(deps, fact.person);
  const current = subject.record;
  if (fact.mode === 'booking') {
    // A booking changes no identity field (customer events do), but a number booked
    // with is one the customer answers on: it joins their list.
    if (phones.length === 0) return;
    const next = withNumbers(current.phones, phones);
    if (samePhones(next, current.phones)) return;
    savePhones(subject, next, {}, fact.ctx, effects);
    return;
  }
  if (current.row.bookingxSyncedAt && current.row.bookingxSyncedAt >= fact.occurredAt) return;
  savePhones(
    subject,
    withPrimary(current.phones, identity.phone),
    { ...identity, bookingxSyncedAt: fact.occurredAt },
    fact.ctx,
    effects,
  );
}

/** A new version of the customer with these columns and numbers (`phone` follows the primary). */
function savePhones(
  subject: Subject,
  phones: CustomerPhone[],
  columns: Partial<CustomerRecord['row']>,
  ctx: ChangeContext,
  effects: Effect[],
): void {
  const current = subject.record;
  const row = {
    ...current.row,
    ...columns,
    phone: primaryOf(phones),
    version: current.row.version + 1,
    updatedAt: new Date(),
  };
  subject.record = { ...current, row, phones };
  subject.changed = true;
  effects.push({
    kind: 'changed',
    before: toCustomerDto(current),
    after: toCustomerDto(subject.record),
    ctx,
  });
}

/** The customer's last booking moves forward, never back (facts come late and out of order). */
function visited(subject: Subject, at: Date): void {
  const last = subject.record.row.lastBookingAt;
  if (last && last >= at) return;
  subject.record = { ...subject.record, row: { ...subject.record.row, lastBookingAt: at } };
  subject.changed = true;
}

/**
 * Writes what the set changed, one statement per table, then announces and audits each fact's
 * change in order (held back to the end of the transaction when it defers).
 */
async function save(
  deps: { customers: CustomersDeps; erasure: ErasureDeps },
  tx: Executor,
  subjects: Map<string, Subject>,
  effects: Effect[],
): Promise<void> {
  const { customers, erasure } = deps;
  const all = [...subjects.values()];
  const changed = all.filter((s) => s.changed);
  const saved = await customers.repo.saveBookingxStates(
    tx,
    changed.map((s) => ({ row: s.record.row, expectedVersion: s.storedVersion })),
  );
  // Under the set's locks nothing else writes these rows; if one did, the set starts over
  // one event at a time.
  if (saved !== changed.length) throw new Error('a customer changed under a BookingX set');
  await customers.repo.replacePhonesOfAll(
    tx,
    all
      .filter((s) => !samePhones(s.record.phones, s.storedPhones))
      .map((s) => ({
        tenantId: s.record.row.tenantId,
        customerId: s.record.row.id,
        phones: s.record.phones,
      })),
  );
  if (effects.length === 0) return;
  // The data keys that seal the audit values: those of new customers stored, the others read.
  const ref = (c: Customer) => ({ tenantId: c.tenant_id, customerId: c.id });
  const created = effects.flatMap((e) => (e.kind === 'created' ? [ref(e.customer)] : []));
  const createdIds = new Set(created.map((c) => c.customerId));
  const written = effects.flatMap((e) =>
    e.kind === 'changed' &&
    !createdIds.has(e.after.id) &&
    changedFields(e.before, e.after).length > 0
      ? [ref(e.after)]
      : [],
  );
  await erasure.keys.prepare(
    tx,
    created,
    unique(written.map((w) => ({ tenantId: w.tenantId, id: w.customerId }))).map((w) => ({
      tenantId: w.tenantId,
      customerId: w.id,
    })),
  );
  for (const effect of effects) {
    if (effect.kind === 'created') {
      await customers.events.created(tx, effect.customer, effect.ctx);
    } else {
      await customers.events.changed(tx, effect.before, effect.after, effect.ctx);
    }
  }
}

function unique(keys: { tenantId: string; id: string }[]): { tenantId: string; id: string }[] {
  const seen = new Map<string, { tenantId: string; id: string }>();
  for (const k of keys) seen.set(keyOf(k.tenantId, k.id), k);
  return [...seen.values()];
}
