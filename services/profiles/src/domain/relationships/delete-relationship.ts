import { notFound, scopeOf, transaction, type Principal } from '@crm/service-kit';
import { routeContext } from '../customers/customer-events.js';
import { recordRelationship } from './relationship.js';
import type { RelationshipsDeps } from './relationships-deps.js';

export async function deleteRelationship(
  deps: RelationshipsDeps,
  principal: Principal,
  customerId: string,
  relationshipId: string,
): Promise<void> {
  await transaction(deps.db, async ({ db: tx }) => {
    const [self] = await deps.customers.visible(tx, scopeOf(principal), [customerId]);
    if (!self) throw notFound('Customer');
    const row = await deps.repo.find(tx, principal.tenant, customerId, relationshipId);
    if (!row) throw notFound('Relationship');
    await deps.repo.deletePair(tx, principal.tenant, relationshipId);
    await recordRelationship(
      deps,
      tx,
      principal,
      row,
      'removed',
      routeContext(principal, 'deleteRelationship'),
    );
  });
}
