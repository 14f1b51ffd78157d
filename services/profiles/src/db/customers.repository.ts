import type { Executor } from '@crm/service-kit';
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { CustomerScope } from '../domain/customers/access.js';
import type { CustomerWithRefs } from '../domain/customers/customer.js';
import { customers, externalRefs, type CustomerRow, type NewCustomerRow } from './schema.js';

export type SortField = 'created_at' | 'updated_at' | 'last_name' | 'email';

export interface ListFilter {
  status?: string | undefined;
  stage?: string | undefined;
  vip?: boolean | undefined;
  email?: string | undefined;
}

export interface ListRequest {
  scope: CustomerScope;
  filter: ListFilter;
  sort: { field: SortField; descending: boolean };
  limit: number;
  after?: { value: string; id: string } | undefined;
}

const sortColumns = {
  created_at: customers.createdAt,
  updated_at: customers.updatedAt,
  last_name: customers.lastName,
  email: sql<string>`coalesce(${customers.email}, '')`,
} as const;

/** The access predicate of DESIGN section 3, in SQL. */
export function scopePredicate(scope: CustomerScope): SQL {
  const tenant = eq(customers.tenantId, scope.tenantId);
  switch (scope.kind) {
    case 'tenant':
      return tenant;
    case 'owner':
      return and(tenant, eq(customers.ownerId, scope.ownerId)) as SQL;
    case 'team':
      return and(
        tenant,
        scope.teams.length > 0
          ? or(eq(customers.ownerId, scope.ownerId), inArray(customers.teamId, scope.teams))
          : eq(customers.ownerId, scope.ownerId),
      ) as SQL;
    case 'self':
      return and(tenant, eq(customers.id, scope.customerId)) as SQL;
  }
}

export class CustomersRepository {
  async refsOf(
    db: Executor,
    tenantId: string,
    ids: string[],
  ): Promise<Map<string, CustomerWithRefs['refs']>> {
    const map = new Map<string, CustomerWithRefs['refs']>();
    if (ids.length === 0) return map;
    const rows = await db
      .select()
      .from(externalRefs)
      .where(and(eq(externalRefs.tenantId, tenantId), inArray(externalRefs.customerId, ids)));
    for (const r of rows) {
      const list = map.get(r.customerId) ?? [];
      list.push({ system: 'bookingx', externalId: r.externalId });
      map.set(r.customerId, list);
    }
    return map;
  }

  private async withRefs(db: Executor, rows: CustomerRow[]): Promise<CustomerWithRefs[]> {
    const first = rows[0];
    if (!first) return [];
    const refs = await this.refsOf(
      db,
      first.tenantId,
      rows.map((r) => r.id),
    );
    return rows.map((row) => ({ row, refs: refs.get(row.id) ?? [] }));
  }

  async find(db: Executor, scope: CustomerScope, id: string): Promise<CustomerWithRefs | null> {
    const rows = await db
      .select()
      .from(customers)
      .where(and(scopePredicate(scope), eq(customers.id, id)));
    const [found] = await this.withRefs(db, rows);
    return found ?? null;
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

  async list(db: Executor, req: ListRequest): Promise<CustomerWithRefs[]> {
    const column = sortColumns[req.sort.field];
    const conditions: (SQL | undefined)[] = [scopePredicate(req.scope)];
    if (req.filter.status) conditions.push(eq(customers.customerStatus, req.filter.status));
    if (req.filter.stage) conditions.push(eq(customers.customerStage, req.filter.stage));
    if (req.filter.vip !== undefined) conditions.push(eq(customers.vipStatus, req.filter.vip));
    if (req.filter.email) {
      conditions.push(sql`lower(${customers.email}) = ${req.filter.email.toLowerCase()}`);
    }
    if (req.after) {
      const value: unknown =
        req.sort.field === 'created_at' || req.sort.field === 'updated_at'
          ? new Date(req.after.value)
          : req.after.value;
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
    return this.withRefs(db, rows);
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
}
