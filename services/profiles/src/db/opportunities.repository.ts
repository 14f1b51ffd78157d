import type { LifecycleStage } from '@crm/contracts';
import type { Executor, CustomerScope } from '@crm/service-kit';
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { scopePredicate } from './customers.repository.js';
import { customers, opportunities as o, opportunityStages, type OpportunityRow } from './schema.js';

export interface OpportunityFilter {
  customerId?: string | undefined;
  stage?: string | undefined;
  status?: string | undefined;
  ownerId?: string | undefined;
}

/** Opportunities are visible where their customer is. */
function visibleCustomer(scope: CustomerScope): SQL {
  return sql`EXISTS (SELECT 1 FROM ${customers} WHERE ${customers.tenantId} = ${o.tenantId} AND ${customers.id} = ${o.customerId} AND ${scopePredicate(scope)})`;
}

export class OpportunitiesRepository {
  async list(
    db: Executor,
    scope: CustomerScope,
    filter: OpportunityFilter,
    page: { before?: { at: Date; id: string } | undefined; limit: number },
  ): Promise<OpportunityRow[]> {
    const conditions: SQL[] = [eq(o.tenantId, scope.tenantId), visibleCustomer(scope)];
    if (filter.customerId) conditions.push(eq(o.customerId, filter.customerId));
    if (filter.stage) conditions.push(eq(o.stage, filter.stage));
    if (filter.status) conditions.push(eq(o.status, filter.status));
    if (filter.ownerId) conditions.push(eq(o.ownerId, filter.ownerId));
    if (page.before) {
      conditions.push(sql`(${o.createdAt}, ${o.id}) < (${page.before.at}, ${page.before.id})`);
    }
    return db
      .select()
      .from(o)
      .where(and(...conditions))
      .orderBy(desc(o.createdAt), desc(o.id))
      .limit(page.limit);
  }

  async find(db: Executor, scope: CustomerScope, id: string, lock = false) {
    const q = db
      .select()
      .from(o)
      .where(and(eq(o.tenantId, scope.tenantId), eq(o.id, id), visibleCustomer(scope)));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  }

  async insert(db: Executor, row: typeof o.$inferInsert): Promise<OpportunityRow> {
    const [created] = await db.insert(o).values(row).returning();
    if (!created) throw new Error('insert returned no row');
    return created;
  }

  async update(
    db: Executor,
    tenantId: string,
    id: string,
    changes: Partial<typeof o.$inferInsert>,
  ) {
    const [row] = await db
      .update(o)
      .set({ ...changes, version: sql`${o.version} + 1`, updatedAt: new Date() })
      .where(and(eq(o.tenantId, tenantId), eq(o.id, id)))
      .returning();
    if (!row) throw new Error('opportunity vanished under its lock');
    return row;
  }

  async openTotals(db: Executor, scope: CustomerScope) {
    return db
      .select({
        stage: o.stage,
        currency: o.currency,
        n: sql<number>`count(*)::int`,
        total: sql<number>`sum(${o.amountMinor})::bigint`,
      })
      .from(o)
      .where(and(eq(o.tenantId, scope.tenantId), eq(o.status, 'open'), visibleCustomer(scope)))
      .groupBy(o.stage, o.currency);
  }

  async moveToSurvivor(db: Executor, tenantId: string, survivorId: string, mergedIds: string[]) {
    await db
      .update(o)
      .set({ customerId: survivorId })
      .where(and(eq(o.tenantId, tenantId), inArray(o.customerId, mergedIds)));
  }

  async stages(
    db: Executor,
    tenantId: string,
  ): Promise<{ stages: LifecycleStage[]; version: number } | null> {
    const [row] = await db
      .select()
      .from(opportunityStages)
      .where(eq(opportunityStages.tenantId, tenantId));
    return row ? { stages: row.stages, version: row.version } : null;
  }

  async lockStages(db: Executor, tenantId: string) {
    await db.execute(
      sql`SELECT pg_advisory_xact_lock(hashtext(${`profiles:opp-stages:${tenantId}`}))`,
    );
    return this.stages(db, tenantId);
  }

  async putStages(db: Executor, tenantId: string, stages: LifecycleStage[]) {
    const [row] = await db
      .insert(opportunityStages)
      .values({ tenantId, stages, version: 2 })
      .onConflictDoUpdate({
        target: opportunityStages.tenantId,
        set: { stages, version: sql`${opportunityStages.version} + 1`, updatedAt: new Date() },
      })
      .returning();
    if (!row) throw new Error('upsert returned no row');
    return { stages: row.stages, version: row.version };
  }
}
