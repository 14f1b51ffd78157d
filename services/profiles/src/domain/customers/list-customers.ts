import {
  type Customer,
  type ListCustomersQuery,
  type QueryCustomersBody,
  type Page,
} from '@crm/contracts';
import { CursorTime, keysetPage, scopeOf, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { NEVER_BOOKED, type SortField } from '../../db/customers.repository.js';
import { toCustomerDto } from './customer.js';
import { CustomerFilter } from './customer-filter.js';
import { filtersOf } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';

/** Where the next page starts: the sort it was issued for, the last customer's sort value and id. */
const CustomerCursor = z.tuple([z.string(), z.string(), z.uuid()]);

export async function listCustomers(
  deps: CustomersDeps,
  principal: Principal,
  query: ListCustomersQuery,
): Promise<Page<Customer>> {
  const filter =
    query.filter === undefined
      ? undefined
      : { input: CustomerFilter.fromQuery(query.filter), at: ['query', 'filter'] };
  return pageOfCustomers(deps, principal, query, filter);
}

/** The list with its filter in a body. */
export async function queryCustomers(
  deps: CustomersDeps,
  principal: Principal,
  body: QueryCustomersBody,
): Promise<Page<Customer>> {
  const filter = body.filter === undefined ? undefined : { input: body.filter, at: ['filter'] };
  return pageOfCustomers(
    deps,
    principal,
    { sort: body.sort, limit: body.limit, cursor: body.cursor },
    filter,
  );
}

export async function pageOfCustomers(
  deps: CustomersDeps,
  principal: Principal,
  query: Omit<ListCustomersQuery, 'filter'>,
  filter: { input: unknown; at: string[] } | undefined,
): Promise<Page<Customer>> {
  const descending = query.sort.startsWith('-');
  const field = query.sort.replace(/^-/, '') as SortField;
  const byTime = field === 'created_at' || field === 'updated_at' || field === 'last_booking_at';
  const isTime = (value: string): boolean =>
    CursorTime.safeParse(value).success || (field === 'last_booking_at' && value === NEVER_BOOKED);
  // A cursor belongs to the sort it was issued for; one of a list by time carries a time.
  const cursor = CustomerCursor.refine(
    ([sort, value]) => sort === query.sort && (!byTime || isTime(value)),
  ).transform(([, value, id]) => ({ value, id }));
  const sortValue = (c: Customer): string => {
    switch (field) {
      case 'email':
        return c.email ?? '';
      case 'last_booking_at':
        return c.last_booking_at ?? NEVER_BOOKED;
      default:
        return c[field];
    }
  };
  const { rows, next_cursor } = await keysetPage(query, {
    cursor,
    fetch: async (after, limit) => {
      const predicate =
        filter === undefined
          ? undefined
          : await filtersOf(deps).predicate(deps.db, principal, filter.input, filter.at);
      const found = await deps.repo.list(deps.db, {
        scope: scopeOf(principal),
        filter: {
          status: query.status,
          stage: query.stage,
          vip: query.vip === undefined ? undefined : query.vip === 'true',
          email: query.email,
          predicate,
        },
        sort: { field, descending },
        limit,
        after,
      });
      return found.map(toCustomerDto);
    },
    cursorOf: (last) => [query.sort, sortValue(last), last.id],
  });
  return { data: await deps.fieldValues.revealAll(deps.db, rows), next_cursor };
}
