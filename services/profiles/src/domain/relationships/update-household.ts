import type { Household, UpdateHouseholdBody } from '@crm/contracts';
import { transaction, type Principal } from '@crm/service-kit';
import { routeContext } from '../customers/customer-events.js';
import { assertVisible, householdDto, lockHousehold, recordHousehold } from './relationship.js';
import type { RelationshipsDeps } from './relationships-deps.js';

export async function updateHousehold(
  deps: RelationshipsDeps,
  principal: Principal,
  id: string,
  body: UpdateHouseholdBody,
  ifMatch: string | undefined,
): Promise<Household> {
  return transaction(deps.db, async ({ db: tx }) => {
    const current = await lockHousehold(deps, tx, principal, id, ifMatch);
    const add = [...new Set(body.add_member_ids ?? [])];
    const remove = [...new Set(body.remove_member_ids ?? [])];
    await assertVisible(deps, tx, principal, [...add, ...remove]);
    await deps.repo.join(tx, principal.tenant, current.id, add);
    await deps.repo.leave(tx, principal.tenant, current.id, remove);
    const ctx = routeContext(principal, 'updateHousehold');
    await recordHousehold(deps, tx, principal, add, current.id, ctx);
    await recordHousehold(deps, tx, principal, remove, null, ctx);
    const row = await deps.repo.touchHousehold(tx, principal.tenant, current.id, body.name);
    return householdDto(deps, tx, principal, row);
  });
}
