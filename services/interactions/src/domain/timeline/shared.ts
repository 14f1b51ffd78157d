import type { TimelineExportQuery, TimelineKind } from '@crm/contracts';
import { CursorTime, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import type { TimelineRequest } from '../../db/timeline.repository.js';

/** Where the next page starts: the last entry's time and id. */
export const TimelineCursor = z.tuple([CursorTime, z.uuid()]);

/** The page request for a customer's timeline as the caller may see it, filtered by the query. */
export function timelineRequest(
  principal: Principal,
  customerId: string,
  query: Pick<TimelineExportQuery, 'kind' | 'from' | 'to'>,
  limit: number,
  after: { occurredAt: Date; id: string } | undefined,
): TimelineRequest {
  return {
    tenantId: principal.tenant,
    customerId,
    customerView: principal.role === 'customer',
    kinds: query.kind?.split(',') as TimelineKind[] | undefined,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    limit,
    after,
  };
}
