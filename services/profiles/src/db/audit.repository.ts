import type { Executor } from '@crm/service-kit';
import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import { auditLog, customFieldDefinitions, type AuditRow } from './schema.js';

export type NewAuditRow = typeof auditLog.$inferInsert;

export class AuditRepository {
  /** Takes the tenant's chain for the rest of the transaction and returns its last link. */
  async lockHead(db: Executor, tenantId: string): Promise<{ seq: number; hash: string } | null> {
    await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`profiles:audit:${tenantId}`}))`);
    const [row] = await db
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .where(eq(auditLog.tenantId, tenantId))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    return row ?? null;
  }

  async insert(db: Executor, rows: NewAuditRow[]): Promise<void> {
    if (rows.length > 0) await db.insert(auditLog).values(rows);
  }

  async sensitiveFields(db: Executor, tenantId: string): Promise<Set<string>> {
    const rows = await db
      .select({ name: customFieldDefinitions.fieldName })
      .from(customFieldDefinitions)
      .where(
        and(
          eq(customFieldDefinitions.tenantId, tenantId),
          eq(customFieldDefinitions.isSensitive, true),
        ),
      );
    return new Set(rows.map((r) => `custom_fields.${r.name}`));
  }

  async page(
    db: Executor,
    tenantId: string,
    customerId: string,
    opts: { field?: string | undefined; beforeSeq?: number | undefined; limit: number },
  ): Promise<AuditRow[]> {
    const conditions: SQL[] = [
      eq(auditLog.tenantId, tenantId),
      eq(auditLog.customerId, customerId),
    ];
    if (opts.field) conditions.push(eq(auditLog.field, opts.field));
    if (opts.beforeSeq !== undefined) conditions.push(lt(auditLog.seq, opts.beforeSeq));
    return db
      .select()
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(desc(auditLog.seq))
      .limit(opts.limit);
  }

  /** The chain in order, a batch at a time. */
  async chain(
    db: Executor,
    tenantId: string,
    afterSeq: number,
    limit: number,
  ): Promise<AuditRow[]> {
    return db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), gt(auditLog.seq, afterSeq)))
      .orderBy(asc(auditLog.seq))
      .limit(limit);
  }

  async tenants(db: Executor): Promise<string[]> {
    const rows = await db.selectDistinct({ tenantId: auditLog.tenantId }).from(auditLog);
    return rows.map((r) => r.tenantId);
  }
}
