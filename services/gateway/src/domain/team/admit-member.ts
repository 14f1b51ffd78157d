import { isStaff } from '@crm/contracts';
import { AppError, type Principal } from '@crm/service-kit';
import { claimsOf, registerMember } from './register-member.js';
import type { TeamDeps } from './team-deps.js';

/**
 * Every authenticated staff request through the gateway: registers the member (or notes
 * that they were seen) at most once per interval, and refuses a deactivated member.
 */
export async function admitMember(deps: TeamDeps, principal: Principal): Promise<void> {
  if (!isStaff(principal.role)) return;
  const claims = claimsOf(principal);
  const active = await deps.seen.check(
    principal.tenant,
    principal.sub,
    JSON.stringify(claims),
    async () => (await registerMember(deps, principal, claims)).active,
  );
  if (!active) {
    throw new AppError(
      'member_inactive',
      'Your membership of this CRM has been deactivated; an admin can reactivate it',
    );
  }
}
