import type { Team, TeamMembersBody } from '@crm/contracts';
import { matchesIfMatch, transaction, type Principal } from '@crm/service-kit';
import { publishMembers } from './member-events.js';
import { actorOf, stale, teamNotFound, toTeam, unknownIds } from './member.js';
import type { TeamDeps } from './team-deps.js';

/** The list becomes the team's whole membership; each member who joined or left is published. */
export async function setTeamMembers(
  deps: TeamDeps,
  principal: Principal,
  id: string,
  body: TeamMembersBody,
  ifMatch: string | undefined,
): Promise<Team> {
  const tenant = principal.tenant;
  const wanted = [...new Set(body.member_ids)];
  return transaction(deps.db, async ({ db: tx }) => {
    await deps.members.lockTenant(tx, tenant);
    const current = await deps.teams.find(tx, tenant, id);
    if (!current) throw teamNotFound();
    if (!matchesIfMatch(ifMatch, current.row.version)) throw stale('team');
    const unknown = unknownIds(
      'member_ids',
      body.member_ids,
      await deps.members.existing(tx, tenant, wanted),
      'member',
    );
    if (unknown) throw unknown;
    const before = new Set(await deps.teams.membersOf(tx, tenant, id));
    const after = new Set(wanted);
    const moved = [
      ...wanted.filter((m) => !before.has(m)),
      ...[...before].filter((m) => !after.has(m)),
    ];
    if (moved.length === 0) return toTeam(current);
    await deps.teams.setMembers(tx, tenant, id, wanted);
    const now = deps.clock();
    const row = await deps.teams.update(tx, tenant, id, {}, now);
    if (!row) throw teamNotFound();
    const rows = await deps.members.bump(tx, tenant, moved, now);
    await publishMembers(deps, tx, tenant, rows, 'updated', actorOf(principal));
    return toTeam({ row, memberCount: wanted.length });
  });
}
