import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { bookingxCustomerId, lenientPhone, normaliseEmail } from '@crm/contracts';
import { openWorld, type SimulatedEvent, type SimulationOptions } from '@crm/simulator';
import type pg from 'pg';

/**
 * Simulator customers straight into the profiles tables, as profiles' BookingX handlers
 * would have left them (same derived ids, identity, external ref, version, times), but a
 * batch of thousands per statement instead of one event per transaction: a million
 * customers load in minutes instead of hours. Search documents are not written here; the
 * search reindex builds them.
 */

type CustomerEvent = Extract<
  SimulatedEvent,
  { type: 'bookingx.customer.created.v1' | 'bookingx.customer.updated.v1' }
>;

interface Identity {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
}

interface Change extends Identity {
  at: string;
  updates: number;
}

export interface LoadResult {
  tenants: string[];
  customers: number;
  updated: number;
  events: number;
  seconds: number;
}

const BATCH = 5_000;

/** The events of an in-process simulation: nothing is written to disk. */
export function simulatedEvents(options: SimulationOptions): Iterable<SimulatedEvent> {
  return openWorld(options).events();
}

/** The events of a `pnpm simulate -- --via files` folder, every tenant's file in turn. */
export async function* fileEvents(dir: string): AsyncGenerator<SimulatedEvent> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    gzip: boolean;
    tenants: { file: string }[];
  };
  for (const tenant of manifest.tenants) {
    const raw = createReadStream(path.join(dir, tenant.file));
    const lines = createInterface({ input: manifest.gzip ? raw.pipe(createGunzip()) : raw });
    for await (const text of lines) {
      if (text.length > 0) yield JSON.parse(text) as SimulatedEvent;
    }
  }
}

function isCustomerEvent(e: SimulatedEvent): e is CustomerEvent {
  return e.type === 'bookingx.customer.created.v1' || e.type === 'bookingx.customer.updated.v1';
}

function identityOf(e: CustomerEvent, region: string): Identity {
  const c = e.data.customer;
  return {
    firstName: c.first_name.slice(0, 100) || 'Unknown',
    lastName: c.last_name.slice(0, 100),
    email: normaliseEmail(c.email) ?? null,
    phone: lenientPhone(c.phone, region),
  };
}

export async function loadSimulatedCustomers(
  client: pg.Client,
  source: Iterable<SimulatedEvent> | AsyncIterable<SimulatedEvent>,
  options: { phoneRegion?: string; log?: (m: string) => void } = {},
): Promise<LoadResult> {
  const region = options.phoneRegion ?? 'DE';
  const started = performance.now();
  const tenants = new Set<string>();
  // Created rows go out as they come; later identity changes are applied at the end.
  const changes = new Map<string, Change>();
  let rows: {
    tenant: string;
    id: string;
    bxId: string;
    at: string;
    tz: string | null;
    who: Identity;
  }[] = [];
  let customers = 0;
  let events = 0;
  let lastLog = performance.now();

  const flush = async () => {
    if (rows.length === 0) return;
    const batch = rows;
    rows = [];
    const col = <T>(f: (r: (typeof batch)[number]) => T) => batch.map(f);
    await client.query(
      `INSERT INTO profiles.customers
         (tenant_id, id, first_name, last_name, email, phone, timezone, source, customer_stage,
          bookingx_synced_at, created_at, updated_at)
       SELECT t, i, f, l, e, p, z, 'bookingx', 'new', a, a, a
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::timestamptz[]) AS u(t, i, f, l, e, p, z, a)`,
      [
        col((r) => r.tenant),
        col((r) => r.id),
        col((r) => r.who.firstName),
        col((r) => r.who.lastName),
        col((r) => r.who.email),
        col((r) => r.who.phone),
        col((r) => r.tz),
        col((r) => r.at),
      ],
    );
    await client.query(
      `INSERT INTO profiles.external_refs (tenant_id, system, external_id, customer_id, created_at)
       SELECT t, 'bookingx', x, i, a
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[]) AS u(t, x, i, a)`,
      [col((r) => r.tenant), col((r) => r.bxId), col((r) => r.id), col((r) => r.at)],
    );
    customers += batch.length;
  };

  for await (const event of source) {
    events += 1;
    if (options.log && performance.now() - lastLog > 5_000) {
      lastLog = performance.now();
      const s = (lastLog - started) / 1000;
      options.log(
        `loading: ${events} events read, ${customers + rows.length} customers (${Math.round((customers + rows.length) / s)}/s)`,
      );
    }
    if (!isCustomerEvent(event)) continue;
    const tenant = event.tenantid;
    const id = bookingxCustomerId(tenant, event.data.customer.bookingx_id);
    tenants.add(tenant);
    const who = identityOf(event, region);
    if (event.type === 'bookingx.customer.created.v1') {
      const tz = event.data.customer.timezone ?? null;
      rows.push({ tenant, id, bxId: event.data.customer.bookingx_id, at: event.time, tz, who });
      if (rows.length >= BATCH) await flush();
    } else {
      const key = `${tenant}/${id}`;
      changes.set(key, { ...who, at: event.time, updates: (changes.get(key)?.updates ?? 0) + 1 });
    }
  }
  await flush();

  // Each identity change is one update (version + 1), as the BookingX handler records it.
  const pending = [...changes].map(([key, c]) => ({ key: key.split('/'), c }));
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    const col = <T>(f: (r: (typeof batch)[number]) => T) => batch.map(f);
    await client.query(
      `UPDATE profiles.customers c
          SET first_name = u.f, last_name = u.l, email = u.e, phone = u.p,
              version = 1 + u.n, bookingx_synced_at = u.a, updated_at = u.a
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::int[], $8::timestamptz[]) AS u(t, i, f, l, e, p, n, a)
        WHERE c.tenant_id = u.t AND c.id = u.i`,
      [
        col((r) => r.key[0]),
        col((r) => r.key[1]),
        col((r) => r.c.firstName),
        col((r) => r.c.lastName),
        col((r) => r.c.email),
        col((r) => r.c.phone),
        col((r) => r.c.updates),
        col((r) => r.c.at),
      ],
    );
  }
  // Where customers keep a list of phones, the loaded number is the primary one.
  const phones = await client.query<{ t: string | null }>(
    `SELECT to_regclass('profiles.customer_phones')::text AS t`,
  );
  if (phones.rows[0]?.t) {
    await client.query(
      `INSERT INTO profiles.customer_phones (tenant_id, customer_id, number, type, is_primary, position)
       SELECT tenant_id, id, phone, 'other', true, 0 FROM profiles.customers WHERE phone IS NOT NULL`,
    );
    await client.query('ANALYZE profiles.customer_phones');
  }
  await client.query('ANALYZE profiles.customers, profiles.external_refs');
  const seconds = (performance.now() - started) / 1000;
  options.log?.(
    `loaded ${customers} customers (${changes.size} changed later) from ${events} events in ${seconds.toFixed(1)} s`,
  );
  return { tenants: [...tenants].sort(), customers, updated: changes.size, events, seconds };
}
