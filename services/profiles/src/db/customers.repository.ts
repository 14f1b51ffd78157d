import { assignmentPredicate, type Db, type Executor, type CustomerScope } from '@crm/service-kit';
import {
  and,
  asc,
  desc,
  eq,
  exists,
  inArray,
  or,
  sql,
  type Placeholder,
  type SQL,
} from 'drizzle-orm';
import type { CustomerRecord } from '../domain/customers/customer.js';
import type { CUSTOMER_SORT_FIELDS, CustomFieldValue, CustomerPhone } from '@crm/contracts';
import {
  collaborators,
  customFieldDefinitions,
  customFieldValues,
  customerPhones,
  customerTags,
  customers,
  erasedCustomers,
  externalRefs,
  tags,
  type CustomerRow,
  type NewCustomerRow,
} from './schema.js';

export type SortField = (typeof CUSTOMER_SORT_FIELDS)[number];

export interface ListFilter {
  status?: string | undefined;
  stage?: string | undefined;
  vip?: boolean | undefined;
  email?: string | undefined;
  /** A compiled filter-language predicate. */
  predicate?: SQL | undefined;
}

export interface ListRequest {
  scope: CustomerScope;
  filter: ListFilter;
  sort: { field: SortField; descending: boolean };
  limit: number;
  after?: { value: string; id: string } | undefined;
}

/** Where a list sorted by last booking keeps customers who never completed one. */
export const NEVER_BOOKED = '-infinity';

const sortColumns = {
  created_at: customers.createdAt,
  updated_at: customers.updatedAt,
  last_name: customers.lastName,
  email: sql<string>`coalesce(${customers.email}, '')`,
  customer_status: customers.customerStatus,
  customer_stage: customers.customerStage,
  // The expression of customers_last_booking_idx: a keyset over NULLs would need its own rules.
  last_booking_at: sql<Date>`coalesce(${customers.lastBookingAt}, '-infinity'::timestamptz)`,
} satisfies Record<SortField, unknown>;

/** A cursor's sort value as the list's keyset compares it. */
function keysetValue(field: SortField, value: string): unknown {
  if (field === 'created_at' || field === 'updated_at') return new Date(value);
  if (field === 'last_booking_at') return sql`${value}::timestamptz`;
  return value;
}

/** A collaborator sees the customer as if it were assigned to them. */
function collaboratesOn(staffId: string | SQL | Placeholder): SQL {
  return exists(
    sql`(SELECT 1 FROM ${collaborators} WHERE ${collaborators.tenantId} = ${customers.tenantId} AND ${collaborators.customerId} = ${customers.id} AND ${collaborators.staffId} = ${staffId})`,
  );
}

/** The access predicate of DESIGN section 3 over the customers table itself. */
export function scopePredicate(scope: CustomerScope): SQL {
  return assignmentPredicate(
    {
      tenantId: customers.tenantId,
      customerId: customers.id,
      ownerId: customers.ownerId,
      teamId: customers.teamId,
      collaborates: collaboratesOn,
    },
    scope,
  );
}

/** One customer among those of several tenants. */
export function keyOf(tenantId: string, id: string): string {
  return `${tenantId}:${id}`;
}

/** Customers named by tenant and id, as `unnest` takes them: one array per column. */
function pairsOf(keys: { tenantId: string; id: string }[]): SQL {
  return sql`unnest(${sql.param(keys.map((k) => k.tenantId))}::uuid[], ${sql.param(keys.map((k) => k.id))}::uuid[])`;
}

/** What a BookingX set writes to a customer row it locked (see `saveBookingxStates`). */
export interface BookingxRowState {
  row: CustomerRow;
  /** The version the row had when the set locked (or inserted) it. */
  expectedVersion: number;
}

type SideTables = {
  refs: string[];
  tags: string[];
  collaborators: string[];
  phones: { number: string; type: string; primary: boolean }[];
  custom_fields: Record<string, CustomFieldValue>;
};

/**
 * A customer's side tables as correlated subqueries of its tenant and id: external refs,
 * tag names, collaborators, phones (primary first) and active custom field values.
 */
function sideTablesOfRow(tenant: SQL, id: SQL): Record<keyof SideTables, SQL> {
  return {
    refs: sql`ARRAY(
      SELECT r.external_id FROM ${externalRefs} r
       WHERE r.tenant_id = ${tenant} AND r.customer_id = ${id})`,
    tags: sql`ARRAY(
      SELECT t.name FROM ${customerTags} ct
        JOIN ${tags} t ON t.tenant_id = ct.tenant_id AND t.id = ct.tag_id
       WHERE ct.tenant_id = ${tenant} AND ct.customer_id = ${id})`,
    collaborators: sql`ARRAY(
      SELECT k.staff_id FROM ${collaborators} k
       WHERE k.tenant_id = ${tenant} AND k.customer_id = ${id})`,
    phones: sql`COALESCE((
      SELECT jsonb_agg(
               jsonb_build_object('number', p.number, 'type', p.type, 'primary', p.is_primary)
               ORDER BY p.is_primary DESC, p.position)
        FROM ${customerPhones} p
       WHERE p.tenant_id = ${tenant} AND p.customer_id = ${id}), '[]'::jsonb)`,
    custom_fields: sql`COALESCE((
      SELECT jsonb_object_agg(d.field_name, v.value)
        FROM ${customFieldValues} v
        JOIN ${customFieldDefinitions} d ON d.tenant_id = v.tenant_id AND d.id = v.field_id
       WHERE v.tenant_id = ${tenant} AND v.customer_id = ${id} AND d.is_active), '{}'::jsonb)`,
  };
}

function recordOf(row: CustomerRow, s: SideTables | undefined): CustomerRecord {
  return {
    row,
    refs: (s?.refs ?? []).map((externalId) => ({ system: 'bookingx' as const, externalId })),
    tags: s?.tags ?? [],
    collaborators: s?.collaborators ?? [],
    phones: (s?.phones ?? []).map((p) => ({
      number: p.number,
      type: p.type as CustomerPhone['type'],
      primary: p.primary,
    })),
    customFields: s?.custom_fields ?? {},
  };
}

/** The access predicate with the caller as placeholders, for a prepared statement. */
function preparedScope(kind: CustomerScope['kind']): SQL {
  const tenant = eq(customers.tenantId, sql.placeholder('tenant'));
  const staff = sql.placeholder('staff');
  switch (kind) {
    case 'tenant':
      return tenant;
    case 'owner':
      return and(tenant, or(eq(customers.ownerId, staff), collaboratesOn(staff))) as SQL;
    case 'team':
      return and(
        tenant,
        or(
          eq(customers.ownerId, staff),
          collaboratesOn(staff),
          sql`${customers.teamId} = ANY(${sql.placeholder('teams')}::varchar[])`,
        ),
      ) as SQL;
    case 'self':
      return and(tenant, eq(customers.id, sql.placeholder('self'))) as SQL;
  }
}

function prepareRead(db: Db, kind: CustomerScope['kind']) {
  const side = sideTablesOfRow(sql`${customers.tenantId}`, sql`${customers.id}`);
  return db
    .select({
      row: customers,
      refs: sql<string[]>`${side.refs}`,
      tags: sql<string[]>`${side.tags}`,
      collaborators: sql<string[]>`${side.collaborators}`,
      phones: sql<SideTables['phones']>`${side.phones}`,
      custom_fields: sql<SideTables['custom_fields']>`${side.custom_fields}`,
    })
    .from(customers)
    .where(and(preparedScope(kind), eq(customers.id, sql.placeholder('id'))))
    .prepare(`profiles_customer_read_${kind}`);
}
type PreparedRead = ReturnType<typeof prepareRead>;

export class CustomersRepository {
  private readonly prepared = new WeakMap<Db, Map<CustomerScope['kind'], PreparedRead>>();

  /** Replaces the customer's numbers; the caller keeps `customers.phone` on the primary. */
  async setPhones(
    db: Executor,
    tenantId: string,
    customerId: string,
    phones: CustomerPhone[],
  ): Promise<void> {
    await db
      .delete(customerPhones)
      .where(and(eq(customerPhones.tenantId, tenantId), eq(customerPhones.customerId, customerId)));
    await this.addPhones(db, tenantId, customerId, phones);
  }

  /** The numbers of a customer who has none yet (a new one). */
  async addPhones(
    db: Executor,
    tenantId: string,
    customerId: string,
    phones: CustomerPhone[],
  ): Promise<void> {
    if (phones.length === 0) return;
    await db.insert(customerPhones).values(
      phones.map((p, position) => ({
        tenantId,
        customerId,
        number: p.number,
        type: p.type,
        isPrimary: p.primary,
        position,
      })),
    );
  }

  /**
   * Rows with their side tables (external refs, tags, collaborators, phones, active custom
   * field values), read in one statement for any number of rows: one round trip, and one
   * snapshot, so a concurrent write never shows half-applied.
   */
  async records(db: Executor, rows: CustomerRow[]): Promise<CustomerRecord[]> {
    if (rows.length === 0) return [];
    const side = await this.sideTablesOf(db, rows);
    return rows.map((row) => recordOf(row, side.get(keyOf(row.tenantId, row.id))));
  }

  /** Side tables of customers of any tenants, keyed by `keyOf`. */
  private async sideTablesOf(
    db: Executor,
    keys: { tenantId: string; id: string }[],
  ): Promise<Map<string, SideTables>> {
    const side = sideTablesOfRow(sql`c.tenant_id`, sql`c.id`);
    const result = await db.execute<SideTables & { tenant_id: string; id: string }>(sql`
      SELECT c.tenant_id::text AS tenant_id, c.id::text AS id, ${side.refs} AS refs,
        ${side.tags} AS tags, ${side.collaborators} AS collaborators, ${side.phones} AS phones,
        ${side.custom_fields} AS custom_fields
      FROM ${pairsOf(keys)} AS c(tenant_id, id)`);
    return new Map(result.rows.map((r) => [keyOf(r.tenant_id, r.id), r]));
  }

  /**
   * The read behind `GET /customers/{id}`: the row and its side tables in one statement,
   * prepared once per pool and kind of scope (a named statement, so Postgres plans it once
   * per connection and drizzle builds its SQL once per process).
   */
  async read(db: Db, scope: CustomerScope, id: string): Promise<CustomerRecord | null> {
    let byKind = this.prepared.get(db);
    if (!byKind) {
      byKind = new Map();
      this.prepared.set(db, byKind);
    }
    let query = byKind.get(scope.kind);
    if (!query) {
      query = prepareRead(db, scope.kind);
      byKind.set(scope.kind, query);
    }
    const [found] = await query.execute({
      tenant: scope.tenantId,
      id,
      staff: scope.kind === 'owner' || scope.kind === 'team' ? scope.ownerId : '',
      teams: scope.kind === 'team' ? scope.teams : [],
      self: scope.kind === 'self' ? scope.customerId : id,
    });
    return found ? recordOf(found.row, found) : null;
  }

  async find(db: Executor, scope: CustomerScope, id: string): Promise<CustomerRecord | null> {
    const rows = await db
      .select()
      .from(customers)
      .where(and(scopePredicate(scope), eq(customers.id, id)));
    const [found] = await this.records(db, rows);
    return found ?? null;
  }

  /** The rows among `ids` the scope may see, without their side tables. */
  async visible(db: Executor, scope: CustomerScope, ids: string[]): Promise<CustomerRow[]> {
    if (ids.length === 0) return [];
    return db
      .select()
      .from(customers)
      .where(and(scopePredicate(scope), inArray(customers.id, ids)));
  }

  /** Locks the rows the caller may change among `ids`, in id order so concurrent writers never deadlock. */
  async lockMany(db: Executor, scope: CustomerScope, ids: string[]): Promise<CustomerRecord[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .select()
      .from(customers)
      .where(and(scopePredicate(scope), inArray(customers.id, ids)))
      .orderBy(asc(customers.id))
      .for('update');
    return this.records(db, rows);
  }

  /**
   * Locks the customers the scope may change that match `predicate`, in id order so
   * concurrent writers never deadlock; `more` (and nothing else) when over `limit` match.
   */
  async lockMatching(
    db: Executor,
    scope: CustomerScope,
    predicate: SQL,
    limit: number,
  ): Promise<{ records: CustomerRecord[]; more: boolean }> {
    const rows = await db
      .select()
      .from(customers)
      .where(and(scopePredicate(scope), predicate))
      .orderBy(asc(customers.id))
      .limit(limit + 1)
      .for('update');
    if (rows.length > limit) return { records: [], more: true };
    return { records: await this.records(db, rows), more: false };
  }

  async setCollaborators(
    db: Executor,
    tenantId: string,
    customerId: string,
    staffIds: string[],
  ): Promise<void> {
    await db
      .delete(collaborators)
      .where(and(eq(collaborators.tenantId, tenantId), eq(collaborators.customerId, customerId)));
    if (staffIds.length === 0) return;
    await db
      .insert(collaborators)
      .values([...new Set(staffIds)].map((staffId) => ({ tenantId, customerId, staffId })));
  }

  async addTags(db: Executor, tenantId: string, customerId: string, tagIds: string[]) {
    if (tagIds.length === 0) return;
    await db
      .insert(customerTags)
      .values(tagIds.map((tagId) => ({ tenantId, customerId, tagId })))
      .onConflictDoNothing();
  }

  async removeTags(db: Executor, tenantId: string, customerId: string, tagIds: string[]) {
    if (tagIds.length === 0) return;
    await db
      .delete(customerTags)
      .where(
        and(
          eq(customerTags.tenantId, tenantId),
          eq(customerTags.customerId, customerId),
          inArray(customerTags.tagId, tagIds),
        ),
      );
  }

  /** A new version for customers whose side tables changed; returns the rows after it. */
  async bumpVersions(db: Executor, tenantId: string, ids: string[]): Promise<CustomerRow[]> {
    if (ids.length === 0) return [];
    return db
      .update(customers)
      .set({ version: sql`${customers.version} + 1`, updatedAt: new Date() })
      .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids)))
      .returning();
  }

  /** Tenant-wide lookup for event handlers, which act for the system, not a person. */
  async findForUpdate(db: Executor, tenantId: string, id: string): Promise<CustomerRow | null> {
    const [row] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
      .for('update');
    return row ?? null;
  }

  async list(db: Executor, req: ListRequest): Promise<CustomerRecord[]> {
    const column = sortColumns[req.sort.field];
    const conditions: (SQL | undefined)[] = [scopePredicate(req.scope)];
    if (req.filter.status) conditions.push(eq(customers.customerStatus, req.filter.status));
    if (req.filter.stage) conditions.push(eq(customers.customerStage, req.filter.stage));
    if (req.filter.vip !== undefined) conditions.push(eq(customers.vipStatus, req.filter.vip));
    if (req.filter.email) {
      conditions.push(sql`lower(${customers.email}) = ${req.filter.email.toLowerCase()}`);
    }
    if (req.filter.predicate) conditions.push(req.filter.predicate);
    if (req.after) {
      const value = keysetValue(req.sort.field, req.after.value);
      // Row comparison keeps the keyset on (sort value, id) in one index-friendly predicate.
      const op = sql.raw(req.sort.descending ? '<' : '>');
      conditions.push(sql`(${column}, ${customers.id}) ${op} (${value}, ${req.after.id})`);
    }
    const order = req.sort.descending
      ? [desc(column), desc(customers.id)]
      : [asc(column), asc(customers.id)];
    const rows = await db
      .select()
      .from(customers)
      .where(and(...conditions))
      .orderBy(...order)
      .limit(req.limit);
    return this.records(db, rows);
  }

  /** Every customer of a tenant matching the filter, in id order, a batch at a time. */
  async scan(
    db: Executor,
    tenantId: string,
    filter: ListFilter,
    afterId: string | undefined,
    limit: number,
  ): Promise<CustomerRecord[]> {
    const conditions: (SQL | undefined)[] = [eq(customers.tenantId, tenantId)];
    if (filter.status) conditions.push(eq(customers.customerStatus, filter.status));
    if (filter.stage) conditions.push(eq(customers.customerStage, filter.stage));
    if (filter.vip !== undefined) conditions.push(eq(customers.vipStatus, filter.vip));
    if (afterId) conditions.push(sql`${customers.id} > ${afterId}`);
    const rows = await db
      .select()
      .from(customers)
      .where(and(...conditions))
      .orderBy(asc(customers.id))
      .limit(limit);
    return this.records(db, rows);
  }

  async insert(db: Executor, row: NewCustomerRow): Promise<CustomerRow> {
    const [created] = await db.insert(customers).values(row).returning();
    if (!created) throw new Error('insert returned no row');
    return created;
  }

  /** Inserts unless the id exists; returns null when it did. */
  async insertIfAbsent(db: Executor, row: NewCustomerRow): Promise<CustomerRow | null> {
    const [created] = await db.insert(customers).values(row).onConflictDoNothing().returning();
    return created ?? null;
  }

  async update(
    db: Executor,
    tenantId: string,
    id: string,
    changes: Partial<NewCustomerRow>,
    expectedVersion: number,
  ): Promise<CustomerRow | null> {
    const [updated] = await db
      .update(customers)
      .set({ ...changes, version: sql`${customers.version} + 1`, updatedAt: new Date() })
      .where(
        and(
          eq(customers.tenantId, tenantId),
          eq(customers.id, id),
          eq(customers.version, expectedVersion),
        ),
      )
      .returning();
    return updated ?? null;
  }

  /** Links an external id; false when it already points at another customer. */
  async linkExternalRef(
    db: Executor,
    tenantId: string,
    customerId: string,
    externalId: string,
  ): Promise<boolean> {
    const inserted = await db
      .insert(externalRefs)
      .values({ tenantId, system: 'bookingx', externalId, customerId })
      .onConflictDoNothing()
      .returning();
    if (inserted.length > 0) return true;
    const [existing] = await db
      .select()
      .from(externalRefs)
      .where(
        and(
          eq(externalRefs.tenantId, tenantId),
          eq(externalRefs.system, 'bookingx'),
          eq(externalRefs.externalId, externalId),
        ),
      );
    return existing?.customerId === customerId;
  }

  /**
   * Locks the rows among `keys` (customers of any tenants) that exist, in id order so
   * concurrent writers never deadlock, and reads them with their side tables.
   */
  async lockAll(db: Executor, keys: { tenantId: string; id: string }[]): Promise<CustomerRecord[]> {
    if (keys.length === 0) return [];
    const rows = await db
      .select()
      .from(customers)
      .where(sql`(${customers.tenantId}, ${customers.id}) IN (SELECT * FROM ${pairsOf(keys)})`)
      .orderBy(asc(customers.id))
      .for('update');
    return this.records(db, rows);
  }

  /** Inserts the rows whose id is free, in one statement; returns those inserted. */
  async insertAllIfAbsent(db: Executor, rows: NewCustomerRow[]): Promise<CustomerRow[]> {
    if (rows.length === 0) return [];
    return db.insert(customers).values(rows).onConflictDoNothing().returning();
  }

  /**
   * Links BookingX ids to customers in one statement; returns the keys (`keyOf`) of the
   * customers their id points at now (not those whose id already pointed at another).
   */
  async linkExternalRefs(
    db: Executor,
    links: { tenantId: string; customerId: string; externalId: string }[],
  ): Promise<Set<string>> {
    if (links.length === 0) return new Set();
    const inserted = await db
      .insert(externalRefs)
      .values(links.map((l) => ({ ...l, system: 'bookingx' })))
      .onConflictDoNothing()
      .returning({ tenantId: externalRefs.tenantId, customerId: externalRefs.customerId });
    const linked = new Set(inserted.map((r) => keyOf(r.tenantId, r.customerId)));
    const rest = links.filter((l) => !linked.has(keyOf(l.tenantId, l.customerId)));
    if (rest.length === 0) return linked;
    const existing = await db
      .select({ tenantId: externalRefs.tenantId, customerId: externalRefs.customerId })
      .from(externalRefs)
      .where(
        sql`${externalRefs.system} = 'bookingx' AND (${externalRefs.tenantId}, ${externalRefs.externalId}) IN (SELECT * FROM unnest(${sql.param(rest.map((l) => l.tenantId))}::uuid[], ${sql.param(rest.map((l) => l.externalId))}::text[]))`,
      );
    for (const r of existing) linked.add(keyOf(r.tenantId, r.customerId));
    return linked;
  }

  /**
   * Writes what a BookingX set changed on rows it holds locked, in one statement: identity,
   * primary number, sync time, version, and the last booking, which never moves back. Returns
   * how many rows were still at their expected version (all of them, under the set's locks).
   */
  async saveBookingxStates(db: Executor, states: BookingxRowState[]): Promise<number> {
    if (states.length === 0) return 0;
    const col = <T>(of: (row: CustomerRow) => T) => sql.param(states.map((s) => of(s.row)));
    const time = (of: (row: CustomerRow) => Date | null) =>
      sql.param(states.map((s) => of(s.row)?.toISOString() ?? null));
    const result = await db.execute(sql`
      UPDATE ${customers} AS c
         SET first_name = u.first_name, last_name = u.last_name, email = u.email,
             phone = u.phone,
             -- A row whose version stays (a new last booking only) keeps its times as stored,
             -- to the microsecond a JavaScript date would lose.
             bookingx_synced_at = CASE WHEN u.version = c.version THEN c.bookingx_synced_at
                                       ELSE u.bookingx_synced_at END,
             updated_at = CASE WHEN u.version = c.version THEN c.updated_at ELSE u.updated_at END,
             last_booking_at = GREATEST(c.last_booking_at, u.last_booking_at),
             version = u.version
        FROM unnest(${col((r) => r.tenantId)}::uuid[], ${col((r) => r.id)}::uuid[],
                    ${sql.param(states.map((s) => s.expectedVersion))}::int[],
                    ${col((r) => r.firstName)}::text[], ${col((r) => r.lastName)}::text[],
                    ${col((r) => r.email)}::text[], ${col((r) => r.phone)}::text[],
                    ${time((r) => r.bookingxSyncedAt)}::timestamptz[],
                    ${time((r) => r.lastBookingAt)}::timestamptz[],
                    ${col((r) => r.version)}::int[], ${time((r) => r.updatedAt)}::timestamptz[])
             AS u(tenant_id, id, expected_version, first_name, last_name, email, phone,
                  bookingx_synced_at, last_booking_at, version, updated_at)
       WHERE c.tenant_id = u.tenant_id AND c.id = u.id AND c.version = u.expected_version`);
    return result.rowCount ?? 0;
  }

  /** Replaces the numbers of many customers: one statement to clear them, one to write them. */
  async replacePhonesOfAll(
    db: Executor,
    lists: { tenantId: string; customerId: string; phones: CustomerPhone[] }[],
  ): Promise<void> {
    if (lists.length === 0) return;
    await db.execute(sql`
      DELETE FROM ${customerPhones} AS p USING ${pairsOf(lists.map((l) => ({ tenantId: l.tenantId, id: l.customerId })))} AS k(tenant_id, id)
       WHERE p.tenant_id = k.tenant_id AND p.customer_id = k.id`);
    const rows = lists.flatMap((l) =>
      l.phones.map((p, position) => ({
        tenantId: l.tenantId,
        customerId: l.customerId,
        number: p.number,
        type: p.type,
        isPrimary: p.primary,
        position,
      })),
    );
    if (rows.length > 0) await db.insert(customerPhones).values(rows);
  }

  /** The id belongs to an erased customer (a tombstone), which nothing may fill again. */
  async isErased(db: Executor, tenantId: string, id: string): Promise<boolean> {
    const [row] = await db
      .select({ id: erasedCustomers.customerId })
      .from(erasedCustomers)
      .where(and(eq(erasedCustomers.tenantId, tenantId), eq(erasedCustomers.customerId, id)));
    return row !== undefined;
  }
}
