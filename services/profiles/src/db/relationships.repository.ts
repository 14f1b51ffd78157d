import type { Executor } from '@crm/service-kit';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import {
  householdMembers as members,
  households,
  relationships as rel,
  type HouseholdRow,
  type RelationshipRow,
} from './schema.js';

export class RelationshipsRepository {
  async of(db: Executor, tenantId: string, customerId: string): Promise<RelationshipRow[]> {
    return db
      .select()
      .from(rel)
      .where(and(eq(rel.tenantId, tenantId), eq(rel.customerId, customerId)))
      .orderBy(desc(rel.createdAt), desc(rel.id));
  }

  /** Both sides, or null when a relationship of this type between them exists. */
  async insertPair(db: Executor, a: Omit<RelationshipRow, 'createdAt'>, inverseType: string) {
    const inserted = await db
      .insert(rel)
      .values([a, { ...a, customerId: a.relatedId, relatedId: a.customerId, type: inverseType }])
      .onConflictDoNothing()
      .returning();
    return inserted.length === 2
      ? (inserted.find((r) => r.customerId === a.customerId) ?? null)
      : null;
  }

  async find(db: Executor, tenantId: string, customerId: string, id: string) {
    const [row] = await db
      .select()
      .from(rel)
      .where(and(eq(rel.tenantId, tenantId), eq(rel.customerId, customerId), eq(rel.id, id)));
    return row ?? null;
  }

  async deletePair(db: Executor, tenantId: string, id: string): Promise<void> {
    await db.delete(rel).where(and(eq(rel.tenantId, tenantId), eq(rel.id, id)));
  }

  /** Re-points merged customers' relationships to the survivor; ones to itself go. */
  async moveToSurvivor(db: Executor, tenantId: string, survivorId: string, mergedIds: string[]) {
    const ids = sql.join(
      mergedIds.map((i) => sql`${i}::uuid`),
      sql`, `,
    );
    await db.execute(sql`
      INSERT INTO ${rel} (tenant_id, id, customer_id, related_id, type, note, created_by, created_at)
      SELECT tenant_id, id,
             CASE WHEN customer_id IN (${ids}) THEN ${survivorId}::uuid ELSE customer_id END,
             CASE WHEN related_id IN (${ids}) THEN ${survivorId}::uuid ELSE related_id END,
             type, note, created_by, created_at
        FROM ${rel}
       WHERE tenant_id = ${tenantId} AND (customer_id IN (${ids}) OR related_id IN (${ids}))
      ON CONFLICT DO NOTHING`);
    await db
      .delete(rel)
      .where(
        and(
          eq(rel.tenantId, tenantId),
          or(
            inArray(rel.customerId, mergedIds),
            inArray(rel.relatedId, mergedIds),
            and(eq(rel.customerId, survivorId), eq(rel.relatedId, survivorId)),
          ),
        ),
      );
    const [own] = await db
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.customerId, survivorId)));
    if (!own) {
      const [inherited] = await db
        .select()
        .from(members)
        .where(and(eq(members.tenantId, tenantId), inArray(members.customerId, mergedIds)))
        .limit(1);
      if (inherited) await this.join(db, tenantId, inherited.householdId, [survivorId]);
    }
    await db
      .delete(members)
      .where(and(eq(members.tenantId, tenantId), inArray(members.customerId, mergedIds)));
  }

  async household(db: Executor, tenantId: string, id: string, lock = false) {
    const q = db
      .select()
      .from(households)
      .where(and(eq(households.tenantId, tenantId), eq(households.id, id)));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  }

  async householdOf(
    db: Executor,
    tenantId: string,
    customerId: string,
  ): Promise<HouseholdRow | null> {
    const [row] = await db
      .select({ h: households })
      .from(members)
      .innerJoin(
        households,
        and(eq(households.tenantId, members.tenantId), eq(households.id, members.householdId)),
      )
      .where(and(eq(members.tenantId, tenantId), eq(members.customerId, customerId)));
    return row?.h ?? null;
  }

  async memberIds(db: Executor, tenantId: string, householdId: string): Promise<string[]> {
    const rows = await db
      .select({ id: members.customerId })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.householdId, householdId)));
    return rows.map((r) => r.id);
  }

  async createHousehold(db: Executor, row: typeof households.$inferInsert): Promise<HouseholdRow> {
    const [created] = await db.insert(households).values(row).returning();
    if (!created) throw new Error('insert returned no row');
    return created;
  }

  /** Joining a household leaves any other. */
  async join(db: Executor, tenantId: string, householdId: string, customerIds: string[]) {
    if (customerIds.length === 0) return;
    await db
      .insert(members)
      .values(customerIds.map((customerId) => ({ tenantId, customerId, householdId })))
      .onConflictDoUpdate({
        target: [members.tenantId, members.customerId],
        set: { householdId, joinedAt: new Date() },
      });
  }

  async leave(db: Executor, tenantId: string, householdId: string, customerIds: string[]) {
    if (customerIds.length === 0) return;
    await db
      .delete(members)
      .where(
        and(
          eq(members.tenantId, tenantId),
          eq(members.householdId, householdId),
          inArray(members.customerId, customerIds),
        ),
      );
  }

  async touchHousehold(db: Executor, tenantId: string, id: string, name?: string) {
    const [row] = await db
      .update(households)
      .set({
        ...(name !== undefined ? { name } : {}),
        version: sql`${households.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(households.tenantId, tenantId), eq(households.id, id)))
      .returning();
    if (!row) throw new Error('household vanished under its lock');
    return row;
  }

  async deleteHousehold(db: Executor, tenantId: string, id: string): Promise<void> {
    await db
      .delete(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.householdId, id)));
    await db
      .delete(households)
      .where(and(eq(households.tenantId, tenantId), eq(households.id, id)));
  }
}
