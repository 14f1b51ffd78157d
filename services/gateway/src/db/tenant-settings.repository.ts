import type { Executor } from '@crm/service-kit';
import { eq, sql } from 'drizzle-orm';
import { tenantSettings, type TenantSettingsRow } from './schema.js';

export interface TenantConventions {
  locale: string;
  timezone: string;
  currency: string;
}

export class TenantSettingsRepository {
  /** Serialises changes to one tenant's settings, the first one included (no row to lock yet). */
  async lockTenant(db: Executor, tenantId: string): Promise<void> {
    await db.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`gateway:settings:${tenantId}`}, 0))`,
    );
  }

  async find(db: Executor, tenantId: string): Promise<TenantSettingsRow | null> {
    const [row] = await db
      .select()
      .from(tenantSettings)
      .where(eq(tenantSettings.tenantId, tenantId));
    return row ?? null;
  }

  /** Stores the tenant's settings, one version on from what was stored (version 1 at first). */
  async save(
    db: Executor,
    tenantId: string,
    values: TenantConventions,
    by: string,
    at: Date,
  ): Promise<TenantSettingsRow> {
    const [row] = await db
      .insert(tenantSettings)
      .values({ tenantId, ...values, version: 1, updatedAt: at, updatedBy: by })
      .onConflictDoUpdate({
        target: tenantSettings.tenantId,
        set: {
          ...values,
          version: sql`${tenantSettings.version} + 1`,
          updatedAt: at,
          updatedBy: by,
        },
      })
      .returning();
    if (!row) throw new Error('tenant settings were not stored');
    return row;
  }
}
