import { newId, type TimelineEntry, type TimelineKind } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { TimelineScope } from '../domain/timeline/access.js';
import type { NewTimelineEntry } from '../domain/timeline/entries.js';
import { customerAccess, timelineEntries } from './schema.js';

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
    await db
      .insert(timelineEntries)
      .values({
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
      })
      .onConflictDoNothing();
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
      .values({
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
        objectVersion: version,
      })
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

  /** Whether the caller may see this customer at all (404 otherwise). */
  async canSee(db: Executor, scope: TimelineScope, customerId: string): Promise<boolean> {
    const tenant = eq(customerAccess.tenantId, scope.tenantId);
    const id = eq(customerAccess.customerId, customerId);
    let predicate: SQL | undefined;
    switch (scope.kind) {
      case 'tenant': {
        const [known] = await db
          .select({ one: sql<number>`1` })
          .from(customerAccess)
          .where(and(tenant, id))
          .limit(1);
        if (known) return true;
        // Booking facts may arrive before the profile event; an admin still sees them.
        const [entry] = await db
          .select({ one: sql<number>`1` })
          .from(timelineEntries)
          .where(
            and(
              eq(timelineEntries.tenantId, scope.tenantId),
              eq(timelineEntries.customerId, customerId),
            ),
          )
          .limit(1);
        return entry !== undefined;
      }
      case 'self':
        return scope.customerId === customerId;
      case 'owner':
        predicate = or(
          eq(customerAccess.ownerId, scope.ownerId),
          sql`${scope.ownerId} = ANY(${customerAccess.collaboratorIds})`,
        );
        break;
      case 'team':
        predicate = or(
          eq(customerAccess.ownerId, scope.ownerId),
          sql`${scope.ownerId} = ANY(${customerAccess.collaboratorIds})`,
          scope.teams.length > 0 ? inArray(customerAccess.teamId, scope.teams) : undefined,
        );
        break;
    }
    const [row] = await db
      .select({ one: sql<number>`1` })
      .from(customerAccess)
      .where(and(tenant, id, predicate))
      .limit(1);
    return row !== undefined;
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

  /** Keeps the newest assignment per customer; an older event never overwrites it. */
  async upsertAccess(
    db: Executor,
    row: {
      tenantId: string;
      customerId: string;
      ownerId: string | null;
      teamId: string | null;
      collaboratorIds?: string[] | undefined;
      version: number;
    },
  ): Promise<void> {
    const set: Partial<typeof customerAccess.$inferInsert> = {
      ownerId: row.ownerId,
      teamId: row.teamId,
      version: row.version,
    };
    if (row.collaboratorIds) set.collaboratorIds = row.collaboratorIds;
    await db
      .insert(customerAccess)
      .values({ ...row, collaboratorIds: row.collaboratorIds ?? [] })
      .onConflictDoUpdate({
        target: [customerAccess.tenantId, customerAccess.customerId],
        set,
        // An older event never overwrites a newer assignment. The assignment event of a
        // version also brings collaborators, which the profile event of that version lacks.
        setWhere: row.collaboratorIds
          ? sql`${customerAccess.version} <= ${row.version}`
          : sql`${customerAccess.version} < ${row.version}`,
      });
  }
}
