import type { LifecycleStage } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import { eq, sql } from 'drizzle-orm';
import { lifecycleStages } from './schema.js';

export interface StoredStages {
  stages: LifecycleStage[];
  version: number;
}

export class StagesRepository {
  async get(db: Executor, tenantId: string): Promise<StoredStages | null> {
    const [row] = await db
      .select()
      .from(lifecycleStages)
      .where(eq(lifecycleStages.tenantId, tenantId));
    return row ? { stages: row.stages, version: row.version } : null;
  }

  /** Locks the tenant's list (or its absence) for the rest of the transaction. */
  async lock(db: Executor, tenantId: string): Promise<StoredStages | null> {
    await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`profiles:stages:${tenantId}`}))`);
    return this.get(db, tenantId);
  }

  async put(db: Executor, tenantId: string, stages: LifecycleStage[]): Promise<StoredStages> {
    const [row] = await db
      .insert(lifecycleStages)
      .values({ tenantId, stages, version: 2 })
      .onConflictDoUpdate({
        target: lifecycleStages.tenantId,
        set: { stages, version: sql`${lifecycleStages.version} + 1`, updatedAt: new Date() },
      })
      .returning();
    if (!row) throw new Error('upsert returned no row');
    return { stages: row.stages, version: row.version };
  }
}
