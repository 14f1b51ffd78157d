import { transaction, type Principal } from '@crm/service-kit';
import { routeContext } from '../customers/customer-events.js';
import { lockHousehold, recordHousehold } from './relationship.js';
import type { RelationshipsDeps } from './relationships-deps.js';

export async function deleteHousehold(
  deps: RelationshipsDeps,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await transaction(deps.db, async ({ db: tx }) => {
    const current = await lockHousehold(deps, tx, principal, id, ifMatch);
    const memberIds = await deps.repo.memberIds(tx, principal.tenant, current.id);
    await deps.repo.deleteHousehold(tx, principal.tenant, current.id);
    await recordHousehold(
      deps,
      tx,
      principal,
      memberIds,
      null,
      routeContext(principal, 'deleteHousehold'),
    );
  });
}
