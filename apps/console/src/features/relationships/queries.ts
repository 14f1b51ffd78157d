import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Every customer's relationships: a change on one side shows on the other. */
export const RELATIONSHIPS = ['relationships'] as const;
export const relationshipsKey = (id: string) => [...RELATIONSHIPS, id] as const;

/** The customer's relationships and household. */
export function useRelationships(id: string) {
  return useQuery({
    queryKey: relationshipsKey(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/crm/customers/{id}/relationships', { params: { path: { id } }, signal })),
  });
}
