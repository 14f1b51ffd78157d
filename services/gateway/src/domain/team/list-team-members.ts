import type { ListTeamQuery, TeamMemberPage } from '@crm/contracts';
import { encodeCursor, readCursor, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { toTeamMember } from './member.js';
import type { TeamDeps } from './team-deps.js';

/** Where the next page starts: the last member's lower-case name and id. */
const MemberCursor = z.tuple([z.string(), z.string()]);

export async function listTeamMembers(
  deps: TeamDeps,
  principal: Principal,
  query: ListTeamQuery,
): Promise<TeamMemberPage> {
  const after = query.cursor ? readCursor(MemberCursor, query.cursor) : undefined;
  const rows = await deps.members.list(deps.db, principal.tenant, {
    role: query.role,
    active: query.active === undefined ? undefined : query.active === 'true',
    teamId: query.team_id,
    q: query.q,
    after: after && { name: after[0], id: after[1] },
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: (await deps.members.withTeams(deps.db, principal.tenant, page)).map(toTeamMember),
    next_cursor:
      rows.length > query.limit && last ? encodeCursor([last.name.toLowerCase(), last.id]) : null,
  };
}
