import type { Team, UpdateTeamBody } from '@crm/contracts';
import { matchesIfMatch, transaction, type Principal } from '@crm/service-kit';
import { publishMembers } from './member-events.js';
import { actorOf, duplicate, stale, teamNotFound, toTeam } from './member.js';
import type { TeamDeps } from './team-deps.js';

/** Renaming a team changes the `teams` of each of its members, so each is published. */
export async function updateTeam(
  deps: TeamDeps,
  principal: Principal,
  id: string,
  body: UpdateTeamBody,
  ifMatch: string | undefined,
): Promise<Team> {
  const tenant = principal.tenant;
  return transaction(deps.db, async ({ db: tx }) => {
    await deps.members.lockTenant(tx, tenant);
    const current = await deps.teams.find(tx, tenant, id);
    if (!current) throw teamNotFound();
    if (!matchesIfMatch(ifMatch, current.row.version)) throw stale('team');
    if (body.name === undefined || body.name === current.row.name) return toTeam(current);
    if (await deps.teams.nameTaken(tx, tenant, body.name, id)) {
      throw duplicate('name', `A team named "${body.name}" exists`);
    }
    const now = deps.clock();
    const row = await deps.teams.update(tx, tenant, id, { name: body.name }, now);
    if (!row) throw teamNotFound();
    const renamed = await deps.members.bump(
      tx,
      tenant,
      await deps.teams.membersOf(tx, tenant, id),
      now,
    );
    await publishMembers(deps, tx, tenant, renamed, 'updated', actorOf(principal));
    return toTeam({ row, memberCount: current.memberCount });
  });
}
