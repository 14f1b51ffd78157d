import { newId, type Interaction } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { interactionAudit, interactions } from './schema.js';

export type InteractionRow = typeof interactions.$inferSelect;
export type NewInteractionRow = typeof interactions.$inferInsert;

export function toInteractionDto(row: InteractionRow): Interaction {
  return {
    id: row.id,
    customer_id: row.customerId,
    interaction_type: row.interactionType as Interaction['interaction_type'],
    interaction_source: row.interactionSource ?? 'crm',
    subject: row.subject,
    description: row.description,
    booking_id: row.bookingId,
    staff_id: row.staffId,
    direction: row.direction as Interaction['direction'],
    duration_minutes: row.durationMinutes,
    outcome: row.outcome,
    amount:
      row.amountMinor !== null && row.currency !== null
        ? { amount_minor: row.amountMinor, currency: row.currency }
        : null,
    metadata: row.metadata as Record<string, unknown>,
    interaction_date: row.interactionDate.toISOString(),
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export interface InteractionFilter {
  tenantId: string;
  customerId: string;
  types?: string[] | undefined;
  staffId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  after?: { at: Date; id: string } | undefined;
  limit: number;
}

export class InteractionsRepository {
  async list(db: Executor, f: InteractionFilter): Promise<InteractionRow[]> {
    const t = interactions;
    const where: (SQL | undefined)[] = [eq(t.tenantId, f.tenantId), eq(t.customerId, f.customerId)];
    if (f.types && f.types.length > 0) where.push(inArray(t.interactionType, f.types));
    if (f.staffId) where.push(eq(t.staffId, f.staffId));
    if (f.from) where.push(gte(t.interactionDate, f.from));
    if (f.to) where.push(lt(t.interactionDate, f.to));
    if (f.after) where.push(sql`(${t.interactionDate}, ${t.id}) < (${f.after.at}, ${f.after.id})`);
    return db
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(desc(t.interactionDate), desc(t.id))
      .limit(f.limit);
  }

  async find(db: Executor, tenantId: string, customerId: string, id: string, lock = false) {
    const q = db
      .select()
      .from(interactions)
      .where(
        and(
          eq(interactions.tenantId, tenantId),
          eq(interactions.customerId, customerId),
          eq(interactions.id, id),
        ),
      );
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  }

  async insert(db: Executor, row: NewInteractionRow): Promise<InteractionRow> {
    const [created] = await db.insert(interactions).values(row).returning();
    if (!created) throw new Error('insert returned no row');
    return created;
  }

  async update(
    db: Executor,
    tenantId: string,
    id: string,
    changes: Partial<NewInteractionRow>,
  ): Promise<InteractionRow> {
    const [row] = await db
      .update(interactions)
      .set({ ...changes, updatedAt: new Date(), version: sql`${interactions.version} + 1` })
      .where(and(eq(interactions.tenantId, tenantId), eq(interactions.id, id)))
      .returning();
    if (!row) throw new Error('update returned no row');
    return row;
  }

  async delete(db: Executor, tenantId: string, id: string): Promise<void> {
    await db
      .delete(interactions)
      .where(and(eq(interactions.tenantId, tenantId), eq(interactions.id, id)));
  }

  async audit(
    db: Executor,
    entry: {
      tenantId: string;
      interactionId: string;
      customerId: string;
      action: 'created' | 'updated' | 'deleted';
      actorId: string;
      actorRole: string;
      before: Interaction | null;
      after: Interaction | null;
    },
  ): Promise<void> {
    await db.insert(interactionAudit).values({ ...entry, id: newId() });
  }
}
