import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Every query of definitions starts with this key; invalidate it after a change. */
export const CUSTOM_FIELDS_KEY = ['custom-fields'] as const;

/** The definitions in display order: the active ones, or all for the manager. */
export function useCustomFields({ includeInactive = false }: { includeInactive?: boolean } = {}) {
  return useQuery({
    queryKey: [...CUSTOM_FIELDS_KEY, includeInactive ? 'all' : 'active'],
    staleTime: 60_000,
    queryFn: async ({ signal }) =>
      (
        await unwrap(
          api.GET('/crm/custom-fields', {
            params: { query: { include_inactive: includeInactive ? 'true' : 'false' } },
            signal,
          }),
        )
      ).data,
  });
}
