import type { ListTeamsQuery, TeamPage } from '@crm/contracts';
import { encodeCursor, readCursor, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { toTeam } from './member.js';
import type { TeamDeps } from './team-deps.js';

/** Where the next page starts: the last team's lower-case name and id. */
const TeamCursor = z.tuple([z.string(), z.string()]);

export async function listTeams(
  deps: TeamDeps,
  principal: Principal,
  query: ListTeamsQuery,
): Promise<TeamPage> {
  const after = query.cursor ? readCursor(TeamCursor, query.cursor) : undefined;
  const rows = await deps.teams.list(deps.db, principal.tenant, {
    after: after && { name: after[0], id: after[1] },
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toTeam),
    next_cursor:
      rows.length > query.limit && last
        ? encodeCursor([last.row.name.toLowerCase(), last.row.id])
        : null,
  };
}
