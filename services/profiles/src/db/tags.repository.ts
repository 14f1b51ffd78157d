import type { Executor } from '@crm/service-kit';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { customerTags, tags, type TagRow } from './schema.js';

export interface TagWithCount {
  row: TagRow;
  customerCount: number;
}

const count = sql<number>`(SELECT count(*)::int FROM ${customerTags} WHERE ${customerTags.tenantId} = ${tags.tenantId} AND ${customerTags.tagId} = ${tags.id})`;

export class TagsRepository {
  async list(
    db: Executor,
    tenantId: string,
    opts: { prefix?: string | undefined; after?: { name: string; id: string }; limit: number },
  ): Promise<TagWithCount[]> {
    const conditions: SQL[] = [eq(tags.tenantId, tenantId)];
    if (opts.prefix) {
      const escaped = opts.prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      conditions.push(sql`lower(${tags.name}) LIKE ${`${escaped}%`}`);
    }
    if (opts.after) {
      conditions.push(
        sql`(lower(${tags.name}), ${tags.id}) > (${opts.after.name}, ${opts.after.id})`,
      );
    }
    const rows = await db
      .select({ row: tags, customerCount: count })
      .from(tags)
      .where(and(...conditions))
      .orderBy(asc(sql`lower(${tags.name})`), asc(tags.id))
      .limit(opts.limit);
    return rows;
  }

  async find(db: Executor, tenantId: string, id: string): Promise<TagWithCount | null> {
    const [found] = await db
      .select({ row: tags, customerCount: count })
      .from(tags)
      .where(and(eq(tags.tenantId, tenantId), eq(tags.id, id)));
    return found ?? null;
  }

  async findForUpdate(db: Executor, tenantId: string, id: string): Promise<TagRow | null> {
    const [row] = await db
      .select()
      .from(tags)
      .where(and(eq(tags.tenantId, tenantId), eq(tags.id, id)))
      .for('update');
    return row ?? null;
  }

  /** Tags by name, case-insensitively. */
  async byNames(db: Executor, tenantId: string, names: string[]): Promise<TagRow[]> {
    if (names.length === 0) return [];
    const lowered = [...new Set(names.map((n) => n.toLowerCase()))];
    return db
      .select()
      .from(tags)
      .where(and(eq(tags.tenantId, tenantId), inArray(sql`lower(${tags.name})`, lowered)));
  }

  /** Null when the name is taken. */
  async insert(db: Executor, row: typeof tags.$inferInsert): Promise<TagRow | null> {
    const [created] = await db.insert(tags).values(row).onConflictDoNothing().returning();
    return created ?? null;
  }

  async update(
    db: Executor,
    tenantId: string,
    id: string,
    changes: Partial<Pick<TagRow, 'name' | 'colour' | 'description'>>,
  ): Promise<TagRow | null> {
    const [row] = await db
      .update(tags)
      .set({ ...changes, version: sql`${tags.version} + 1`, updatedAt: new Date() })
      .where(and(eq(tags.tenantId, tenantId), eq(tags.id, id)))
      .returning();
    return row ?? null;
  }

  async nameTaken(db: Executor, tenantId: string, name: string, exceptId: string) {
    const [row] = await db
      .select({ id: tags.id })
      .from(tags)
      .where(and(eq(tags.tenantId, tenantId), sql`lower(${tags.name}) = ${name.toLowerCase()}`));
    return row !== undefined && row.id !== exceptId;
  }

  async customersWith(db: Executor, tenantId: string, tagId: string): Promise<string[]> {
    const rows = await db
      .select({ id: customerTags.customerId })
      .from(customerTags)
      .where(and(eq(customerTags.tenantId, tenantId), eq(customerTags.tagId, tagId)));
    return rows.map((r) => r.id);
  }

  async delete(db: Executor, tenantId: string, id: string): Promise<void> {
    await db
      .delete(customerTags)
      .where(and(eq(customerTags.tenantId, tenantId), eq(customerTags.tagId, id)));
    await db.delete(tags).where(and(eq(tags.tenantId, tenantId), eq(tags.id, id)));
  }
}
