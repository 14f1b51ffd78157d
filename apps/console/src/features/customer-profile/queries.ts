import { useQuery } from '@tanstack/react-query';
import { api, unwrap, unwrapWithEtag } from '../../api/client';
import type { Money } from '../../api/types';

export const customerKey = (id: string) => ['customer', id] as const;

/** The customer and the ETag to send back in If-Match when editing it. */
export function useCustomer(id: string) {
  return useQuery({
    queryKey: customerKey(id),
    queryFn: ({ signal }) =>
      unwrapWithEtag(api.GET('/crm/customers/{id}', { params: { path: { id } }, signal })),
  });
}

export function useEngagement(id: string) {
  return useQuery({
    queryKey: ['engagement', id],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/crm/customers/{id}/engagement', { params: { path: { id } }, signal })),
  });
}

// Enough pages for any real customer; past it the total is shown as a lower bound.
const MAX_PAYMENT_PAGES = 10;

export interface Revenue {
  totals: Money[];
  complete: boolean;
}

/** Payments less refunds (stored negative), summed per currency from the interaction log. */
export function useRevenue(id: string) {
  return useQuery({
    queryKey: ['revenue', id],
    queryFn: async ({ signal }): Promise<Revenue> => {
      const sums = new Map<string, number>();
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAYMENT_PAGES; page++) {
        const query: { type: string; limit: number; cursor?: string } = {
          type: 'payment',
          limit: 200,
        };
        if (cursor !== undefined) query.cursor = cursor;
        const result = await unwrap(
          api.GET('/crm/customers/{id}/interactions', {
            params: { path: { id }, query },
            signal,
          }),
        );
        for (const i of result.data) {
          if (i.amount) {
            sums.set(i.amount.currency, (sums.get(i.amount.currency) ?? 0) + i.amount.amount_minor);
          }
        }
        if (result.next_cursor === null) {
          return { totals: toMoney(sums), complete: true };
        }
        cursor = result.next_cursor;
      }
      return { totals: toMoney(sums), complete: false };
    },
  });
}

function toMoney(sums: Map<string, number>): Money[] {
  return [...sums.entries()].map(([currency, amount_minor]) => ({ currency, amount_minor }));
}

/** When the customer last came in: the newest completed booking among their recent bookings. */
export function useLastVisit(id: string) {
  return useQuery({
    queryKey: ['last-visit', id],
    queryFn: async ({ signal }) => {
      const result = await unwrap(
        api.GET('/crm/customers/{id}/interactions', {
          params: { path: { id }, query: { type: 'booking', limit: 100 } },
          signal,
        }),
      );
      return result.data.find((i) => i.outcome === 'completed')?.interaction_date ?? null;
    },
  });
}
