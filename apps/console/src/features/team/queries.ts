import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { TeamMember } from '../../api/types';

/** Active members of the staff directory whose name or email holds the words, by name. */
export function useMemberSearch(words: string, enabled: boolean) {
  const q = words.trim();
  return useQuery({
    queryKey: ['team', 'search', q],
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) => {
      const query: { active: 'true'; limit: number; q?: string } = { active: 'true', limit: 8 };
      if (q !== '') query.q = q;
      return (await unwrap(api.GET('/crm/team', { params: { query }, signal }))).data;
    },
  });
}

/**
 * A member of the directory by id, to show a name instead of an id; null when the directory
 * has no such member (an id assigned before the directory knew them).
 */
export function useMember(id: string | null) {
  return useQuery({
    queryKey: ['team', 'member', id],
    enabled: id !== null && id !== '',
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }): Promise<TeamMember | null> => {
      try {
        return await unwrap(
          api.GET('/crm/team/members/{id}', { params: { path: { id: id ?? '' } }, signal }),
        );
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}
