import type { Executor } from '@crm/service-kit';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { customers, searchDocuments } from './schema.js';

/** What the search reindex reads besides the customer records themselves. */
export class SearchReindexRepository {
  /** Tenants holding customers, in id order: a loose index scan, one probe per tenant. */
  async tenants(db: Executor): Promise<string[]> {
    const result = await db.execute<{ tenant_id: string }>(sql`
      WITH RECURSIVE t(tenant_id) AS (
        (SELECT tenant_id FROM ${customers} ORDER BY tenant_id LIMIT 1)
        UNION ALL
        SELECT (SELECT c.tenant_id FROM ${customers} c WHERE c.tenant_id > t.tenant_id
                 ORDER BY c.tenant_id LIMIT 1)
          FROM t WHERE t.tenant_id IS NOT NULL
      )
      SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL`);
    return result.rows.map((r) => r.tenant_id);
  }

  async count(db: Executor, tenantIds: string[]): Promise<number> {
    if (tenantIds.length === 0) return 0;
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(customers)
      .where(inArray(customers.tenantId, tenantIds));
    return row?.n ?? 0;
  }

  /** Fresh planner statistics after a bulk rebuild, so search picks its indexes at once. */
  async analyze(db: Executor): Promise<void> {
    await db.execute(sql`ANALYZE ${searchDocuments}`);
  }

  /** The current version of each of `ids` that still exists. */
  async versions(db: Executor, tenantId: string, ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .select({ id: customers.id, version: customers.version })
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids)));
    return new Map(rows.map((r) => [r.id, r.version]));
  }
}
