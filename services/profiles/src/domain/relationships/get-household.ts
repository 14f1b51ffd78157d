import type { Household } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import { householdDto } from './relationship.js';
import type { RelationshipsDeps } from './relationships-deps.js';

/** A household none of whose members the caller sees is not there for them. */
export async function getHousehold(
  deps: RelationshipsDeps,
  principal: Principal,
  id: string,
): Promise<Household> {
  const row = await deps.repo.household(deps.db, principal.tenant, id);
  if (!row) throw notFound('Household');
  const dto = await householdDto(deps, deps.db, principal, row);
  if (dto.members.length === 0) throw notFound('Household');
  return dto;
}
