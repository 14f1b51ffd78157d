import {
  decodeCursor,
  encodeCursor,
  type Page,
  type TimelineEntry,
  type TimelineKind,
  type TimelineQuery,
} from '@crm/contracts';
import { AppError, notFound, type Db, type Principal } from '@crm/service-kit';
import type { TimelineRepository } from '../../db/timeline.repository.js';
import { scopeOf } from './access.js';

export class TimelineReader {
  constructor(
    private readonly db: Db,
    private readonly repo: TimelineRepository,
  ) {}

  async get(
    principal: Principal,
    customerId: string,
    query: TimelineQuery,
  ): Promise<Page<TimelineEntry>> {
    if (!(await this.repo.canSee(this.db, scopeOf(principal), customerId))) {
      throw notFound('Customer');
    }
    let after: { occurredAt: Date; id: string } | undefined;
    if (query.cursor) {
      const key = decodeCursor(query.cursor);
      if (
        !key ||
        typeof key[0] !== 'string' ||
        typeof key[1] !== 'string' ||
        Number.isNaN(Date.parse(key[0]))
      ) {
        throw new AppError('validation_failed', 'The cursor is not valid', [
          {
            field: 'query.cursor',
            code: 'invalid_cursor',
            message: 'Start again without a cursor',
          },
        ]);
      }
      after = { occurredAt: new Date(key[0]), id: key[1] };
    }
    const rows = await this.repo.page(this.db, {
      tenantId: principal.tenant,
      customerId,
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
}
