import { newId, type CreateHouseholdBody, type Household } from '@crm/contracts';
import { transaction, type Principal } from '@crm/service-kit';
import { routeContext } from '../customers/customer-events.js';
import { assertVisible, householdDto, recordHousehold } from './relationship.js';
import type { RelationshipsDeps } from './relationships-deps.js';

export async function createHousehold(
  deps: RelationshipsDeps,
  principal: Principal,
  body: CreateHouseholdBody,
): Promise<Household> {
  const ids = [...new Set(body.member_ids)];
  return transaction(deps.db, async ({ db: tx }) => {
    await assertVisible(deps, tx, principal, ids);
    const row = await deps.repo.createHousehold(tx, {
      tenantId: principal.tenant,
      id: newId(),
      name: body.name,
    });
    await deps.repo.join(tx, principal.tenant, row.id, ids);
    await recordHousehold(
      deps,
      tx,
      principal,
      ids,
      row.id,
      routeContext(principal, 'createHousehold'),
    );
    return householdDto(deps, tx, principal, row);
  });
}
