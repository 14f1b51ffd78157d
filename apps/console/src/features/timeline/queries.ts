import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { TimelineKind } from '../../api/types';

export const timelineKey = (id: string) => ['timeline', id] as const;

export function useTimeline(id: string, kinds: TimelineKind[], refetchInterval: number | false) {
  return useInfiniteQuery({
    queryKey: [...timelineKey(id), kinds],
    initialPageParam: undefined as string | undefined,
    refetchInterval,
    queryFn: ({ pageParam, signal }) => {
      const query: { limit: number; kind?: string; cursor?: string } = { limit: 20 };
      if (kinds.length > 0) query.kind = kinds.join(',');
      if (pageParam !== undefined) query.cursor = pageParam;
      return unwrap(
        api.GET('/crm/customers/{id}/timeline', { params: { path: { id }, query }, signal }),
      );
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
