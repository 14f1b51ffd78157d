import { transaction, type Principal } from '@crm/service-kit';
import { toInteractionDto } from '../../db/interactions.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { editableInteraction, requireStaff } from './shared.js';

export async function deleteInteraction(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  id: string,
): Promise<void> {
  requireStaff(principal);
  const { interactions, timeline } = deps.repositories;
  await transaction(deps.db, async ({ db: tx }) => {
    const before = await editableInteraction(deps, tx, principal, customerId, id);
    await interactions.delete(tx, principal.tenant, id);
    await interactions.audit(tx, {
      tenantId: principal.tenant,
      interactionId: id,
      customerId: before.customerId,
      action: 'deleted',
      actorId: principal.sub,
      actorRole: principal.role,
      before: toInteractionDto(before),
      after: null,
    });
    await timeline.removeObjectEntries(tx, principal.tenant, 'interaction', id);
  });
}
