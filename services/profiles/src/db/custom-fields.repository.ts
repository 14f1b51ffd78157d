import type { CustomFieldValue } from '@crm/contracts';
import { memo, type Executor } from '@crm/service-kit';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  customFieldDefinitions as defs,
  customFieldValues as vals,
  type CustomFieldRow,
} from './schema.js';

export type NewCustomFieldRow = typeof defs.$inferInsert;

export class CustomFieldsRepository {
  /**
   * Every definition of the tenant, read once per transaction: a write checks its values and
   * its sensitive fields against them, and an import's batch does so for every row. Outside
   * a transaction it always reads.
   */
  async definitions(db: Executor, tenantId: string): Promise<CustomFieldRow[]> {
    return memo(db, `custom-fields:${tenantId}`, () => this.list(db, tenantId), { read: true });
  }

  async list(db: Executor, tenantId: string, includeInactive = true): Promise<CustomFieldRow[]> {
    return db
      .select()
      .from(defs)
      .where(
        includeInactive
          ? eq(defs.tenantId, tenantId)
          : and(eq(defs.tenantId, tenantId), eq(defs.isActive, true)),
      )
      .orderBy(asc(defs.displayOrder), asc(defs.fieldName));
  }

  async find(db: Executor, tenantId: string, id: string): Promise<CustomFieldRow | null> {
    const [row] = await db
      .select()
      .from(defs)
      .where(and(eq(defs.tenantId, tenantId), eq(defs.id, id)));
    return row ?? null;
  }

  async findForUpdate(db: Executor, tenantId: string, id: string): Promise<CustomFieldRow | null> {
    const [row] = await db
      .select()
      .from(defs)
      .where(and(eq(defs.tenantId, tenantId), eq(defs.id, id)))
      .for('update');
    return row ?? null;
  }

  /** Serialises definition changes of one tenant, so the field limit holds under concurrency. */
  async lockTenant(db: Executor, tenantId: string): Promise<void> {
    await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`profiles:fields:${tenantId}`}))`);
  }

  async count(db: Executor, tenantId: string): Promise<{ n: number; maxOrder: number }> {
    const [row] = await db
      .select({
        n: sql<number>`count(*)::int`,
        maxOrder: sql<number>`coalesce(max(${defs.displayOrder}), -1)::int`,
      })
      .from(defs)
      .where(eq(defs.tenantId, tenantId));
    return row ?? { n: 0, maxOrder: -1 };
  }

  async insert(db: Executor, row: NewCustomFieldRow): Promise<CustomFieldRow | null> {
    const [created] = await db.insert(defs).values(row).onConflictDoNothing().returning();
    return created ?? null;
  }

  async update(
    db: Executor,
    tenantId: string,
    id: string,
    changes: Partial<NewCustomFieldRow>,
  ): Promise<CustomFieldRow> {
    const [row] = await db
      .update(defs)
      .set({ ...changes, version: sql`${defs.version} + 1`, updatedAt: new Date() })
      .where(and(eq(defs.tenantId, tenantId), eq(defs.id, id)))
      .returning();
    if (!row) throw new Error('custom field vanished under its lock');
    return row;
  }

  async delete(db: Executor, tenantId: string, id: string): Promise<void> {
    await db.delete(vals).where(and(eq(vals.tenantId, tenantId), eq(vals.fieldId, id)));
    await db.delete(defs).where(and(eq(defs.tenantId, tenantId), eq(defs.id, id)));
  }

  /** Active, non-sensitive fields whose values are text worth searching. */
  async searchableNames(db: Executor, tenantId: string): Promise<Set<string>> {
    const rows = await db
      .select({ name: defs.fieldName })
      .from(defs)
      .where(
        and(
          eq(defs.tenantId, tenantId),
          eq(defs.isActive, true),
          eq(defs.isSensitive, false),
          inArray(defs.fieldType, [
            'text',
            'textarea',
            'email',
            'phone',
            'url',
            'select',
            'multiselect',
          ]),
        ),
      );
    return new Set(rows.map((r) => r.name));
  }

  async customersWithValue(db: Executor, tenantId: string, fieldId: string): Promise<string[]> {
    const rows = await db
      .select({ id: vals.customerId })
      .from(vals)
      .where(and(eq(vals.tenantId, tenantId), eq(vals.fieldId, fieldId)));
    return rows.map((r) => r.id);
  }

  /** Values of active fields, by customer and field name. */
  async valuesOf(
    db: Executor,
    tenantId: string,
    customerIds: string[],
  ): Promise<Map<string, Record<string, CustomFieldValue>>> {
    const map = new Map<string, Record<string, CustomFieldValue>>();
    if (customerIds.length === 0) return map;
    const rows = await db
      .select({ customerId: vals.customerId, name: defs.fieldName, value: vals.value })
      .from(vals)
      .innerJoin(defs, and(eq(defs.tenantId, vals.tenantId), eq(defs.id, vals.fieldId)))
      .where(
        and(
          eq(vals.tenantId, tenantId),
          inArray(vals.customerId, customerIds),
          eq(defs.isActive, true),
        ),
      );
    for (const r of rows) {
      const entry = map.get(r.customerId) ?? {};
      entry[r.name] = r.value;
      map.set(r.customerId, entry);
    }
    return map;
  }

  /** Writes values; null deletes the value. */
  async setValues(
    db: Executor,
    tenantId: string,
    customerId: string,
    values: { fieldId: string; value: CustomFieldValue }[],
  ): Promise<void> {
    const clear = values.filter((v) => v.value === null).map((v) => v.fieldId);
    const set = values.filter((v) => v.value !== null);
    if (clear.length > 0) {
      await db
        .delete(vals)
        .where(
          and(
            eq(vals.tenantId, tenantId),
            eq(vals.customerId, customerId),
            inArray(vals.fieldId, clear),
          ),
        );
    }
    if (set.length > 0) {
      await db
        .insert(vals)
        .values(set.map((v) => ({ tenantId, customerId, fieldId: v.fieldId, value: v.value })))
        .onConflictDoUpdate({
          target: [vals.tenantId, vals.customerId, vals.fieldId],
          set: { value: sql`excluded.value`, updatedAt: new Date() },
        });
    }
  }
}
