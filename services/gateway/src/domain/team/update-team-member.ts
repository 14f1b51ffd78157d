import { normaliseEmail, type TeamMember, type UpdateTeamMemberBody } from '@crm/contracts';
import { AppError, matchesIfMatch, transaction, type Principal } from '@crm/service-kit';
import type { MemberChanges } from '../../db/members.repository.js';
import { publishMembers } from './member-events.js';
import { actorOf, duplicate, memberNotFound, stale, toTeamMember } from './member.js';
import type { TeamDeps } from './team-deps.js';

/** An admin changes a member's name, email or role, or deactivates or reactivates them. */
export async function updateTeamMember(
  deps: TeamDeps,
  principal: Principal,
  id: string,
  body: UpdateTeamMemberBody,
  ifMatch: string | undefined,
): Promise<TeamMember> {
  const tenant = principal.tenant;
  if (body.active === false && id === principal.sub) {
    throw new AppError('validation_failed', 'An admin cannot deactivate themselves', [
      { field: 'active', code: 'own_membership', message: 'Ask another admin to deactivate you' },
    ]);
  }
  const member = await transaction(deps.db, async ({ db: tx }) => {
    await deps.members.lockTenant(tx, tenant);
    const current = await deps.members.find(tx, tenant, id);
    if (!current) throw memberNotFound();
    if (!matchesIfMatch(ifMatch, current.version)) throw stale('member');
    const changes: MemberChanges = {};
    if (body.name !== undefined && body.name !== current.name) changes.name = body.name;
    if (body.role !== undefined && body.role !== current.role) changes.role = body.role;
    if (body.active !== undefined && body.active !== current.active) changes.active = body.active;
    if (body.email !== undefined) {
      const email = normaliseEmail(body.email) ?? null;
      if (email !== current.email) {
        if (email !== null && (await deps.members.emailTaken(tx, tenant, email, id))) {
          throw duplicate('email', `A member with the email ${email} exists`);
        }
        changes.email = email;
      }
    }
    if (Object.keys(changes).length === 0) {
      const [unchanged] = await deps.members.withTeams(tx, tenant, [current]);
      return unchanged;
    }
    const row = await deps.members.update(tx, tenant, id, changes, deps.clock());
    if (!row) throw memberNotFound();
    const [changed] = await publishMembers(deps, tx, tenant, [row], 'updated', actorOf(principal));
    return changed;
  });
  if (!member) throw memberNotFound();
  // This replica refuses or admits them from their next request on.
  deps.seen.forget(tenant, id);
  return toTeamMember(member);
}
