import { matchesIfMatch, transaction, type Principal } from '@crm/service-kit';
import { publishMembers } from './member-events.js';
import { actorOf, stale, teamNotFound } from './member.js';
import type { TeamDeps } from './team-deps.js';

/** Its members leave the team, so each is published; customers keep their `team_id`. */
export async function deleteTeam(
  deps: TeamDeps,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const tenant = principal.tenant;
  await transaction(deps.db, async ({ db: tx }) => {
    await deps.members.lockTenant(tx, tenant);
    const current = await deps.teams.find(tx, tenant, id);
    if (!current) throw teamNotFound();
    if (!matchesIfMatch(ifMatch, current.row.version)) throw stale('team');
    const left = await deps.teams.membersOf(tx, tenant, id);
    await deps.teams.delete(tx, tenant, id);
    const rows = await deps.members.bump(tx, tenant, left, deps.clock());
    await publishMembers(deps, tx, tenant, rows, 'updated', actorOf(principal));
  });
}
