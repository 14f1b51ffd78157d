import type { Interaction } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import { toInteractionDto } from '../../db/interactions.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { requireStaff } from './shared.js';

export async function getInteraction(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  id: string,
): Promise<Interaction> {
  requireStaff(principal);
  const resolved = await deps.access.require(deps.db, principal, customerId);
  const row = await deps.repositories.interactions.find(deps.db, principal.tenant, resolved, id);
  if (!row) throw notFound('Interaction');
  return toInteractionDto(row);
}
