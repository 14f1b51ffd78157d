import { randomBytes } from 'node:crypto';
import { memo, type Executor, type Tx } from '@crm/service-kit';
import { eq } from 'drizzle-orm';
import { trackingSettings } from './schema.js';

export type SettingsRow = typeof trackingSettings.$inferSelect;

export interface TrackingDefaults {
  trackBookings: boolean;
  trackEmails: boolean;
  trackSms: boolean;
  trackCalls: boolean;
  trackWebsiteVisits: boolean;
}

export function newTrackingKey(): string {
  return `tk_${randomBytes(18).toString('base64url')}`;
}

export function newIngestSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export class SettingsRepository {
  constructor(private readonly defaults: TrackingDefaults) {}

  async find(db: Executor, tenantId: string): Promise<SettingsRow | null> {
    const [row] = await db
      .select()
      .from(trackingSettings)
      .where(eq(trackingSettings.tenantId, tenantId));
    return row ?? null;
  }

  /** The tenant's settings, or the defaults when it never changed them (not stored). */
  async effective(db: Executor, tenantId: string): Promise<TrackingDefaults> {
    return (await this.find(db, tenantId)) ?? this.defaults;
  }

  /**
   * The same, read once per tenant within `tx`: for event handlers, which never change the
   * settings, so every event of a batch sees what its transaction first read.
   */
  async effectiveWithin(tx: Tx, tenantId: string): Promise<TrackingDefaults> {
    return memo(tx, `tracking-settings:${tenantId}`, () => this.effective(tx, tenantId), {
      read: true,
    });
  }

  /** Creates the row with defaults and a tracking key on first use. */
  async ensure(db: Executor, tenantId: string): Promise<SettingsRow> {
    await db
      .insert(trackingSettings)
      .values({ tenantId, ...this.defaults, trackingKey: newTrackingKey() })
      .onConflictDoNothing();
    const row = await this.find(db, tenantId);
    if (!row) throw new Error('tracking settings vanished');
    return row;
  }

  async update(
    db: Executor,
    tenantId: string,
    changes: Partial<TrackingDefaults & { ingestSecret: string }>,
  ): Promise<SettingsRow> {
    await this.ensure(db, tenantId);
    const [row] = await db
      .update(trackingSettings)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(trackingSettings.tenantId, tenantId))
      .returning();
    if (!row) throw new Error('tracking settings vanished');
    return row;
  }

  async byTrackingKey(db: Executor, key: string): Promise<SettingsRow | null> {
    const [row] = await db
      .select()
      .from(trackingSettings)
      .where(eq(trackingSettings.trackingKey, key));
    return row ?? null;
  }
}
