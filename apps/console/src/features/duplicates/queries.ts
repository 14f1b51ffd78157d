import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap, unwrapWithEtag } from '../../api/client';
import { customerKey } from '../customer-profile/queries';

export const SEARCH_PAGE_SIZE = 10;
/** The most customers the API merges into one in a single request (`merge_ids`). */
export const MAX_MERGED = 10;

export function useCustomerSearch(q: string, cursor: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['duplicates-search', q, cursor],
    enabled: enabled && q !== '',
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => {
      const query: { q: string; limit: number; cursor?: string } = {
        q,
        limit: SEARCH_PAGE_SIZE,
      };
      if (cursor !== undefined) query.cursor = cursor;
      return unwrap(api.GET('/crm/search', { params: { query }, signal }));
    },
  });
}

/** The API's likely duplicates of one customer, best first (one page of at most 20). */
export function useDuplicates(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['duplicates', id],
    enabled: enabled && id !== '',
    queryFn: ({ signal }) =>
      unwrap(api.GET('/crm/customers/{id}/duplicates', { params: { path: { id } }, signal })),
  });
}

/** Each customer with its ETag (the survivor's goes in If-Match), as the profile reads it. */
export function useCustomers(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: customerKey(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        unwrapWithEtag(api.GET('/crm/customers/{id}', { params: { path: { id } }, signal })),
    })),
  });
}
