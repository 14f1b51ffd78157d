import {
  type Engagement,
  type Page,
  type TimelineEntry,
  type TimelineExportQuery,
  type TimelineKind,
  type TimelineQuery,
} from '@crm/contracts';
import {
  AppError,
  CursorTime,
  type CustomerAccess,
  type Db,
  encodeCursor,
  type Principal,
  readCursor,
} from '@crm/service-kit';
import { z } from 'zod';
import type { EngagementRepository } from '../../db/engagement.repository.js';
import type { TimelineRepository } from '../../db/timeline.repository.js';

/** Where the next page starts: the last entry's time and id. */
const TimelineCursor = z.tuple([CursorTime, z.uuid()]);

const EXPORT_PAGE = 500;

export class TimelineReader {
  constructor(
    private readonly db: Db,
    private readonly repo: TimelineRepository,
    private readonly access: CustomerAccess,
    private readonly engagement: EngagementRepository,
  ) {}

  async get(
    principal: Principal,
    customerId: string,
    query: TimelineQuery,
  ): Promise<Page<TimelineEntry>> {
    const resolved = await this.access.require(this.db, principal, customerId);
    let after: { occurredAt: Date; id: string } | undefined;
    if (query.cursor) {
      const [occurredAt, id] = readCursor(TimelineCursor, query.cursor);
      after = { occurredAt, id };
    }
    const rows = await this.repo.page(this.db, {
      tenantId: principal.tenant,
      customerId: resolved,
      customerView: principal.role === 'customer',
      kinds: query.kind?.split(',') as TimelineKind[] | undefined,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit + 1,
      after,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page,
      next_cursor:
        rows.length > query.limit && last ? encodeCursor([last.occurred_at, last.id]) : null,
    };
  }

  /** Every entry the caller may see, newest first, in pages so memory stays flat. */
  async *export(
    principal: Principal,
    customerId: string,
    query: TimelineExportQuery,
  ): AsyncGenerator<TimelineEntry> {
    const resolved = await this.access.require(this.db, principal, customerId);
    let after: { occurredAt: Date; id: string } | undefined;
    for (;;) {
      const rows = await this.repo.page(this.db, {
        tenantId: principal.tenant,
        customerId: resolved,
        customerView: principal.role === 'customer',
        kinds: query.kind?.split(',') as TimelineKind[] | undefined,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        limit: EXPORT_PAGE,
        after,
      });
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < EXPORT_PAGE || !last) return;
      after = { occurredAt: new Date(last.occurred_at), id: last.id };
    }
  }

  /** Checked before streaming starts, so a refusal is still a clean problem+json. */
  async assertVisible(principal: Principal, customerId: string): Promise<void> {
    await this.access.require(this.db, principal, customerId);
  }

  async engagementOf(principal: Principal, customerId: string): Promise<Engagement> {
    if (principal.role === 'customer') {
      throw new AppError('forbidden', 'Engagement scores are for staff');
    }
    const resolved = await this.access.require(this.db, principal, customerId);
    return this.engagement.get(this.db, principal.tenant, resolved);
  }
}
