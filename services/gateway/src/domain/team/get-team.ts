import type { Team } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import { teamNotFound, toTeam } from './member.js';
import type { TeamDeps } from './team-deps.js';

export async function getTeam(deps: TeamDeps, principal: Principal, id: string): Promise<Team> {
  const found = await deps.teams.find(deps.db, principal.tenant, id);
  if (!found) throw teamNotFound();
  return toTeam(found);
}
