import type { CustomerRelationships } from '@crm/contracts';
import { notFound, scopeOf, type Principal } from '@crm/service-kit';
import { householdDto, toRelationshipDto } from './relationship.js';
import type { RelationshipsDeps } from './relationships-deps.js';

/** The customer's relationships to customers the caller sees, and its household. */
export async function listCustomerRelationships(
  deps: RelationshipsDeps,
  principal: Principal,
  customerId: string,
): Promise<CustomerRelationships> {
  const scope = scopeOf(principal);
  const [self] = await deps.customers.visible(deps.db, scope, [customerId]);
  if (!self) throw notFound('Customer');
  const rows = await deps.repo.of(deps.db, principal.tenant, customerId);
  const related = new Map(
    (
      await deps.customers.visible(
        deps.db,
        scope,
        rows.map((r) => r.relatedId),
      )
    ).map((c) => [c.id, c]),
  );
  const data = rows.flatMap((r) => {
    const other = related.get(r.relatedId);
    return other ? [toRelationshipDto(r, other)] : [];
  });
  const household = await deps.repo.householdOf(deps.db, principal.tenant, customerId);
  return {
    data,
    next_cursor: null,
    household: household ? await householdDto(deps, deps.db, principal, household) : null,
  };
}
