import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { SearchHit } from '../../api/types';
import { filterableFields } from './field-conditions';
import { isSearch, listQuery, searchQuery, type ListFilters } from './list-query';

export const PAGE_SIZE = 25;

/** One row of the list, whether it came from the plain list or from search. */
export type CustomerRow = Pick<
  SearchHit,
  | 'id'
  | 'first_name'
  | 'last_name'
  | 'email'
  | 'customer_status'
  | 'customer_stage'
  | 'vip_status'
  | 'tags'
> & {
  /** The start of the last completed booking; undefined where the source does not carry it (search). */
  last_booking_at?: string | null;
};

export interface RowPage {
  rows: CustomerRow[];
  nextCursor: string | null;
}

export function useCustomerPage(filters: ListFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: ['customers', filters, cursor],
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }): Promise<RowPage> => {
      const page = { cursor, limit: PAGE_SIZE };
      if (isSearch(filters)) {
        const found = await unwrap(
          api.GET('/crm/search', { params: { query: searchQuery(filters, page) }, signal }),
        );
        return { rows: found.data, nextCursor: found.next_cursor };
      }
      const listed = await unwrap(
        api.GET('/crm/customers', { params: { query: listQuery(filters, page) }, signal }),
      );
      return {
        rows: listed.data.map((c) => ({ ...c, tags: c.tags ?? [] })),
        nextCursor: listed.next_cursor,
      };
    },
  });
}

export function useStages() {
  return useQuery({
    queryKey: ['lifecycle-stages'],
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/crm/lifecycle-stages', { signal }))).data,
  });
}

/** The start of a customer's last completed booking, for rows whose source lacks it (search). */
export function useLastBooking(customerId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['last-booking', customerId],
    staleTime: 60_000,
    enabled,
    queryFn: async ({ signal }) => {
      const customer = await unwrap(
        api.GET('/crm/customers/{id}', { params: { path: { id: customerId } }, signal }),
      );
      return customer.last_booking_at ?? null;
    },
  });
}

/** The custom fields the list may filter on: active and not sensitive. */
export function useFilterableFields(enabled: boolean) {
  return useQuery({
    queryKey: ['custom-fields', 'filterable'],
    enabled,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) =>
      filterableFields((await unwrap(api.GET('/crm/custom-fields', { signal }))).data),
  });
}
