import type { TeamMember } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import { memberNotFound, toTeamMember } from './member.js';
import type { TeamDeps } from './team-deps.js';

export async function getTeamMember(
  deps: TeamDeps,
  principal: Principal,
  id: string,
): Promise<TeamMember> {
  const row = await deps.members.find(deps.db, principal.tenant, id);
  if (!row) throw memberNotFound();
  const [member] = await deps.members.withTeams(deps.db, principal.tenant, [row]);
  if (!member) throw memberNotFound();
  return toTeamMember(member);
}
