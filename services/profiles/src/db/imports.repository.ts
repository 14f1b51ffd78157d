import type { Executor } from '@crm/service-kit';
import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import {
  customerImportErrors,
  customerImportKeys,
  customerImportUploads,
  customerImports,
  customerPhones,
  customers,
  externalRefs,
} from './schema.js';

export type ImportRow = typeof customerImports.$inferSelect;
export type NewImportRow = typeof customerImports.$inferInsert;
export type ImportErrorRow = typeof customerImportErrors.$inferSelect;
export type ImportKeyRow = typeof customerImportKeys.$inferSelect;

/** What one committed batch adds to an import's counters. */
export interface BatchCounts {
  processedRows: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** Customers of a tenant already holding one of the keys, first created first. */
export interface Matches {
  byRef: Map<string, string>;
  byEmail: Map<string, string>;
  byPhone: Map<string, string>;
}

export class ImportsRepository {
  async insert(db: Executor, row: NewImportRow, content: Buffer): Promise<ImportRow> {
    const [created] = await db.insert(customerImports).values(row).returning();
    if (!created) throw new Error('Import was not inserted');
    await db
      .insert(customerImportUploads)
      .values({ tenantId: row.tenantId, importId: created.id, content });
    return created;
  }

  /** `createdBy` narrows to one caller's imports (managers see their own). */
  async find(
    db: Executor,
    tenantId: string,
    id: string,
    createdBy: string | undefined,
  ): Promise<ImportRow | null> {
    const [row] = await db
      .select()
      .from(customerImports)
      .where(
        and(
          eq(customerImports.tenantId, tenantId),
          eq(customerImports.id, id),
          createdBy === undefined ? undefined : eq(customerImports.createdBy, createdBy),
        ),
      );
    return row ?? null;
  }

  /** Newest first, keyed by (created_at, id). */
  async list(
    db: Executor,
    tenantId: string,
    createdBy: string | undefined,
    after: { createdAt: Date; id: string } | undefined,
    limit: number,
  ): Promise<ImportRow[]> {
    const t = customerImports;
    const conditions: (SQL | undefined)[] = [eq(t.tenantId, tenantId)];
    if (createdBy !== undefined) conditions.push(eq(t.createdBy, createdBy));
    if (after) {
      conditions.push(
        or(
          lt(t.createdAt, after.createdAt),
          and(eq(t.createdAt, after.createdAt), lt(t.id, after.id)),
        ),
      );
    }
    return db
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(desc(t.createdAt), desc(t.id))
      .limit(limit);
  }

  /** Imports not finished: after a restart their jobs are queued again. */
  async unfinished(db: Executor): Promise<{ tenantId: string; id: string }[]> {
    return db
      .select({ tenantId: customerImports.tenantId, id: customerImports.id })
      .from(customerImports)
      .where(inArray(customerImports.status, ['queued', 'running']));
  }

  /** Held for the whole batch, so two workers on one import take turns. */
  async lock(db: Executor, tenantId: string, id: string): Promise<ImportRow | null> {
    const [row] = await db
      .select()
      .from(customerImports)
      .where(and(eq(customerImports.tenantId, tenantId), eq(customerImports.id, id)))
      .for('update');
    return row ?? null;
  }

  async upload(db: Executor, tenantId: string, id: string): Promise<Buffer | null> {
    const [row] = await db
      .select({ content: customerImportUploads.content })
      .from(customerImportUploads)
      .where(
        and(eq(customerImportUploads.tenantId, tenantId), eq(customerImportUploads.importId, id)),
      );
    return row?.content ?? null;
  }

  async markRunning(db: Executor, tenantId: string, id: string, now: Date): Promise<void> {
    await db
      .update(customerImports)
      .set({
        status: 'running',
        startedAt: sql`coalesce(${customerImports.startedAt}, ${now})`,
        updatedAt: now,
      })
      .where(and(eq(customerImports.tenantId, tenantId), eq(customerImports.id, id)));
  }

  async addBatch(
    db: Executor,
    tenantId: string,
    id: string,
    counts: BatchCounts,
    now: Date,
  ): Promise<void> {
    const t = customerImports;
    await db
      .update(t)
      .set({
        processedRows: sql`${t.processedRows} + ${counts.processedRows}`,
        createdCount: sql`${t.createdCount} + ${counts.created}`,
        updatedCount: sql`${t.updatedCount} + ${counts.updated}`,
        skippedCount: sql`${t.skippedCount} + ${counts.skipped}`,
        failedCount: sql`${t.failedCount} + ${counts.failed}`,
        updatedAt: now,
      })
      .where(and(eq(t.tenantId, tenantId), eq(t.id, id)));
  }

  /** The end of an import: its upload is no longer needed. */
  async finish(
    db: Executor,
    tenantId: string,
    id: string,
    status: 'completed' | 'failed',
    failure: string | null,
    now: Date,
  ): Promise<void> {
    await db
      .update(customerImports)
      .set({ status, failure, finishedAt: now, updatedAt: now })
      .where(and(eq(customerImports.tenantId, tenantId), eq(customerImports.id, id)));
    await db
      .delete(customerImportUploads)
      .where(
        and(eq(customerImportUploads.tenantId, tenantId), eq(customerImportUploads.importId, id)),
      );
  }

  async addErrors(db: Executor, rows: ImportErrorRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insert(customerImportErrors).values(rows);
  }

  /** In row order, keyed by (row, seq). */
  async errors(
    db: Executor,
    tenantId: string,
    id: string,
    after: { row: number; seq: number } | undefined,
    limit: number,
  ): Promise<ImportErrorRow[]> {
    const t = customerImportErrors;
    return db
      .select()
      .from(t)
      .where(
        and(
          eq(t.tenantId, tenantId),
          eq(t.importId, id),
          after === undefined
            ? undefined
            : sql`(${t.rowNumber}, ${t.seq}) > (${after.row}, ${after.seq})`,
        ),
      )
      .orderBy(asc(t.rowNumber), asc(t.seq))
      .limit(limit);
  }

  async keys(
    db: Executor,
    tenantId: string,
    id: string,
    keys: string[],
  ): Promise<Map<string, ImportKeyRow>> {
    if (keys.length === 0) return new Map();
    const t = customerImportKeys;
    const rows = await db
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.importId, id), inArray(t.key, keys)));
    return new Map(rows.map((r) => [r.key, r]));
  }

  async addKeys(db: Executor, rows: ImportKeyRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insert(customerImportKeys).values(rows).onConflictDoNothing();
  }

  async forgetKeys(db: Executor, tenantId: string, id: string): Promise<void> {
    await db
      .delete(customerImportKeys)
      .where(and(eq(customerImportKeys.tenantId, tenantId), eq(customerImportKeys.importId, id)));
  }

  /** One query per kind of key for a whole batch. */
  async match(
    db: Executor,
    tenantId: string,
    wanted: { refs: string[]; emails: string[]; phones: string[] },
  ): Promise<Matches> {
    const out: Matches = { byRef: new Map(), byEmail: new Map(), byPhone: new Map() };
    if (wanted.refs.length > 0) {
      const rows = await db
        .select({ key: externalRefs.externalId, id: externalRefs.customerId })
        .from(externalRefs)
        .where(
          and(
            eq(externalRefs.tenantId, tenantId),
            eq(externalRefs.system, 'bookingx'),
            inArray(externalRefs.externalId, wanted.refs),
          ),
        );
      for (const r of rows) out.byRef.set(r.key, r.id);
    }
    if (wanted.emails.length > 0) {
      const rows = await db
        .select({ key: sql<string>`lower(${customers.email})`, id: customers.id })
        .from(customers)
        .where(
          and(
            eq(customers.tenantId, tenantId),
            inArray(sql`lower(${customers.email})`, wanted.emails),
          ),
        )
        .orderBy(asc(customers.createdAt), asc(customers.id));
      for (const r of rows) if (!out.byEmail.has(r.key)) out.byEmail.set(r.key, r.id);
    }
    if (wanted.phones.length > 0) {
      const rows = await db
        .select({ key: customers.phone, id: customers.id, at: customers.createdAt })
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), inArray(customers.phone, wanted.phones)))
        .orderBy(asc(customers.createdAt), asc(customers.id));
      for (const r of rows) if (r.key && !out.byPhone.has(r.key)) out.byPhone.set(r.key, r.id);
      // Secondary numbers live in customer_phones only.
      const more = await db
        .select({ key: customerPhones.number, id: customerPhones.customerId })
        .from(customerPhones)
        .where(
          and(eq(customerPhones.tenantId, tenantId), inArray(customerPhones.number, wanted.phones)),
        )
        .orderBy(asc(customerPhones.customerId));
      for (const r of more) if (!out.byPhone.has(r.key)) out.byPhone.set(r.key, r.id);
    }
    return out;
  }
}
