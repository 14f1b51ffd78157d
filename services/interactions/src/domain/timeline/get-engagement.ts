import type { Engagement } from '@crm/contracts';
import { AppError, type Principal } from '@crm/service-kit';
import type { InteractionsDeps } from '../../deps.js';

export async function getEngagement(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
): Promise<Engagement> {
  if (principal.role === 'customer') {
    throw new AppError('forbidden', 'Engagement scores are for staff');
  }
  const resolved = await deps.access.require(deps.db, principal, customerId);
  return deps.repositories.engagement.get(deps.db, principal.tenant, resolved);
}
