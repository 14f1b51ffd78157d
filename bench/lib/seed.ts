import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Seeded rows get ids both SQL and TypeScript can compute from a number: md5 of
 * `<prefix>/<n>` with the version and variant digits of a UUIDv4 (the API refuses other
 * shapes). pgbench picks `n` at random and derives the same id.
 */
export function seededId(prefix: string, n: number): string {
  const h = createHash('md5')
    .update(`${prefix}/${String(n)}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
}

/** The same id in SQL, for a numeric SQL expression `n`. */
export function seededIdSql(prefix: string, n: string): string {
  return `overlay(overlay(md5('${prefix}/' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;
}

export const CUSTOMER_PREFIX = 'crm-bench-customer';

/** BookingX-style customers with their external reference, as profiles stores them. */
export async function seedCustomers(client: pg.Client, tenantId: string, count: number) {
  await client.query(
    `INSERT INTO profiles.customers
       (tenant_id, id, first_name, last_name, email, phone, timezone, locale, source,
        created_at, updated_at)
     SELECT $1::uuid, ${seededIdSql(CUSTOMER_PREFIX, 'i')},
            (ARRAY['Anna','Ben','Clara','David','Emma','Felix','Greta','Hugo'])[1 + i % 8],
            'Customer ' || i, 'customer.' || i || '@example.com',
            '+4915' || lpad(i::text, 9, '0'), 'Europe/Berlin', 'de-DE', 'bookingx',
            now() - i * interval '1 minute', now() - i * interval '1 minute'
       FROM generate_series(1, $2::int) AS i`,
    [tenantId, count],
  );
  await client.query(
    `INSERT INTO profiles.external_refs (tenant_id, system, external_id, customer_id)
     SELECT $1::uuid, 'bookingx', i::text, ${seededIdSql(CUSTOMER_PREFIX, 'i')}
       FROM generate_series(1, $2::int) AS i`,
    [tenantId, count],
  );
  await client.query('ANALYZE profiles.customers, profiles.external_refs');
}
