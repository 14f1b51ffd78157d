import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { Team } from '../../api/types';

export const MEMBERS_KEY = ['team-members'] as const;
export const TEAMS_KEY = ['teams'] as const;

// A tenant has a handful of teams; the pickers read at most this many pages of 200.
const MAX_TEAM_PAGES = 5;

/** Every team of the tenant by name, read page by page. */
export function useTeams(enabled = true) {
  return useQuery({
    queryKey: TEAMS_KEY,
    enabled,
    queryFn: async ({ signal }): Promise<Team[]> => {
      const teams: Team[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TEAM_PAGES; page++) {
        const result = await unwrap(
          api.GET('/crm/team/teams', {
            params: { query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } },
            signal,
          }),
        );
        teams.push(...result.data);
        if (result.next_cursor === null) break;
        cursor = result.next_cursor;
      }
      return teams;
    },
  });
}
