import { newId, type TimelineEntry, type TimelineKind } from '@crm/contracts';
import { unnestRows, type Executor } from '@crm/service-kit';
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { NewTimelineEntry } from '../domain/timeline/entries.js';
import { timelineEntries } from './schema.js';

type EntryRow = typeof timelineEntries.$inferSelect;

function toDto(row: EntryRow): TimelineEntry {
  return {
    id: row.id,
    customer_id: row.customerId,
    kind: row.kind as TimelineKind,
    type: row.type,
    occurred_at: row.occurredAt.toISOString(),
    actor: {
      type: row.actorType as TimelineEntry['actor']['type'],
      id: row.actorId,
      name: row.actorName,
    },
    summary: row.summary,
    icon: row.icon,
    source: { service: row.sourceService, object_type: row.objectType, object_id: row.objectId },
    data: row.data as Record<string, unknown>,
  };
}

function toRow(
  tenantId: string,
  sourceEventId: string,
  e: NewTimelineEntry,
): typeof timelineEntries.$inferInsert {
  return {
    tenantId,
    id: newId(),
    customerId: e.customerId,
    kind: e.kind,
    type: e.type,
    occurredAt: e.occurredAt,
    actorType: e.actor.type,
    actorId: e.actor.id,
    actorName: e.actor.name,
    summary: e.summary,
    icon: e.icon,
    sourceService: e.source.service,
    objectType: e.source.objectType,
    objectId: e.source.objectId,
    data: e.data,
    sourceEventId,
    visibility: e.visibility ?? 'all',
  };
}

/** An entry and the event (or object) it comes from, which it exists once for. */
export interface SourcedEntry {
  tenantId: string;
  sourceEventId: string;
  entry: NewTimelineEntry;
}

export interface TimelineRequest {
  tenantId: string;
  customerId: string;
  /** Customers see only entries meant for them. */
  customerView: boolean;
  kinds?: TimelineKind[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  after?: { occurredAt: Date; id: string } | undefined;
}

export class TimelineRepository {
  /** Idempotent by source event: the same event twice is one entry. */
  async add(db: Executor, tenantId: string, sourceEventId: string, e: NewTimelineEntry) {
    await this.addAll(db, [{ tenantId, sourceEventId, entry: e }]);
  }

  /** `add` for many entries, in one statement. */
  async addAll(db: Executor, entries: SourcedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => toRow(e.tenantId, e.sourceEventId, e.entry));
    await db.execute(sql`
      INSERT INTO ${timelineEntries} ${unnestRows(timelineEntries, rows)}
      ON CONFLICT DO NOTHING`);
  }

  /**
   * One entry that mirrors an object (a note): created, then kept at the newest version
   * whatever order the versions arrive in; `null` removes it (deleted).
   */
  async upsertObjectEntry(
    db: Executor,
    tenantId: string,
    sourceEventId: string,
    e: NewTimelineEntry,
    version: number,
  ): Promise<void> {
    const t = timelineEntries;
    // One statement, so two versions handled at once cannot both insert.
    await db
      .insert(t)
      .values({ ...toRow(tenantId, sourceEventId, e), objectVersion: version })
      .onConflictDoUpdate({
        target: [t.tenantId, t.objectType, t.objectId],
        targetWhere: sql`object_version IS NOT NULL`,
        set: {
          summary: e.summary,
          icon: e.icon,
          data: e.data,
          visibility: e.visibility ?? 'all',
          objectVersion: version,
          type: e.type,
        },
        setWhere: sql`${t.objectVersion} < ${version}`,
      });
  }

  async removeObjectEntries(db: Executor, tenantId: string, objectType: string, objectId: string) {
    const t = timelineEntries;
    await db
      .delete(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.objectType, objectType), eq(t.objectId, objectId)));
  }

  /** Whether any entry is about the customer: booking facts may arrive before the profile. */
  async hasEntries(db: Executor, tenantId: string, customerId: string): Promise<boolean> {
    const t = timelineEntries;
    const [entry] = await db
      .select({ one: sql<number>`1` })
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.customerId, customerId)))
      .limit(1);
    return entry !== undefined;
  }

  async page(db: Executor, req: TimelineRequest): Promise<TimelineEntry[]> {
    const t = timelineEntries;
    const conditions: (SQL | undefined)[] = [
      eq(t.tenantId, req.tenantId),
      eq(t.customerId, req.customerId),
    ];
    if (req.customerView) conditions.push(eq(t.visibility, 'all'));
    if (req.kinds && req.kinds.length > 0) conditions.push(inArray(t.kind, req.kinds));
    if (req.from) conditions.push(gte(t.occurredAt, req.from));
    if (req.to) conditions.push(lt(t.occurredAt, req.to));
    if (req.after) {
      conditions.push(sql`(${t.occurredAt}, ${t.id}) < (${req.after.occurredAt}, ${req.after.id})`);
    }
    const rows = await db
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(desc(t.occurredAt), desc(t.id))
      .limit(req.limit);
    return rows.map(toDto);
  }
}
