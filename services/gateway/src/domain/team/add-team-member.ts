import { newId, normaliseEmail, type AddTeamMemberBody, type TeamMember } from '@crm/contracts';
import { transaction, type Principal } from '@crm/service-kit';
import { publishMembers } from './member-events.js';
import { actorOf, duplicate, toTeamMember, unknownIds } from './member.js';
import type { TeamDeps } from './team-deps.js';

/** An admin adds someone ahead of their first sign-in, so they can be assigned at once. */
export async function addTeamMember(
  deps: TeamDeps,
  principal: Principal,
  body: AddTeamMemberBody,
): Promise<TeamMember> {
  const tenant = principal.tenant;
  const id = body.id ?? newId();
  const email = normaliseEmail(body.email) ?? null;
  const teamIds = [...new Set(body.team_ids)];
  const [member] = await transaction(deps.db, async ({ db: tx }) => {
    await deps.members.lockTenant(tx, tenant);
    if (await deps.members.find(tx, tenant, id)) {
      throw duplicate('id', `A member with the id ${id} exists`);
    }
    if (email !== null && (await deps.members.emailTaken(tx, tenant, email))) {
      throw duplicate('email', `A member with the email ${email} exists`);
    }
    const unknown = unknownIds(
      'team_ids',
      body.team_ids,
      await deps.teams.existing(tx, tenant, teamIds),
      'team',
    );
    if (unknown) throw unknown;
    const now = deps.clock();
    const row = await deps.members.insert(tx, {
      tenantId: tenant,
      id,
      name: body.name,
      email,
      role: body.role,
      createdAt: now,
      updatedAt: now,
    });
    await deps.teams.setTeamsOf(tx, tenant, id, teamIds);
    return publishMembers(deps, tx, tenant, [row], 'added', actorOf(principal));
  });
  if (!member) throw new Error('the added member was not read back');
  return toTeamMember(member);
}
