import type { Executor } from '@crm/service-kit';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { consentRecords, type ConsentRow } from './schema.js';

export class ConsentRepository {
  async insert(db: Executor, row: typeof consentRecords.$inferInsert): Promise<ConsentRow> {
    const [created] = await db.insert(consentRecords).values(row).returning();
    if (!created) throw new Error('insert returned no row');
    return created;
  }

  /** The newest record of each channel and purpose. */
  async current(db: Executor, tenantId: string, customerId: string): Promise<ConsentRow[]> {
    return db
      .selectDistinctOn([consentRecords.channel, consentRecords.purpose])
      .from(consentRecords)
      .where(and(eq(consentRecords.tenantId, tenantId), eq(consentRecords.customerId, customerId)))
      .orderBy(
        consentRecords.channel,
        consentRecords.purpose,
        desc(consentRecords.recordedAt),
        desc(consentRecords.id),
      );
  }

  async history(
    db: Executor,
    tenantId: string,
    customerId: string,
    opts: { before?: { at: Date; id: string } | undefined; limit: number },
  ): Promise<ConsentRow[]> {
    const conditions: SQL[] = [
      eq(consentRecords.tenantId, tenantId),
      eq(consentRecords.customerId, customerId),
    ];
    if (opts.before) {
      conditions.push(
        sql`(${consentRecords.recordedAt}, ${consentRecords.id}) < (${opts.before.at}, ${opts.before.id})`,
      );
    }
    return db
      .select()
      .from(consentRecords)
      .where(and(...conditions))
      .orderBy(desc(consentRecords.recordedAt), desc(consentRecords.id))
      .limit(opts.limit);
  }
}
