import { newId, type CreateTeamBody, type Team } from '@crm/contracts';
import { transaction, type Principal } from '@crm/service-kit';
import { duplicate, toTeam } from './member.js';
import type { TeamDeps } from './team-deps.js';

export async function createTeam(
  deps: TeamDeps,
  principal: Principal,
  body: CreateTeamBody,
): Promise<Team> {
  const tenant = principal.tenant;
  return transaction(deps.db, async ({ db: tx }) => {
    await deps.members.lockTenant(tx, tenant);
    if (await deps.teams.nameTaken(tx, tenant, body.name)) {
      throw duplicate('name', `A team named "${body.name}" exists`);
    }
    const now = deps.clock();
    const row = await deps.teams.insert(tx, {
      tenantId: tenant,
      id: body.id ?? newId(),
      name: body.name,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw duplicate('id', `A team with the id ${body.id ?? ''} exists`);
    return toTeam({ row, memberCount: 0 });
  });
}
