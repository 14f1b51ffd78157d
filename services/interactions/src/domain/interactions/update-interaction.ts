import type { Interaction, UpdateInteractionBody } from '@crm/contracts';
import { AppError, matchesIfMatch, transaction, type Principal } from '@crm/service-kit';
import { toInteractionDto } from '../../db/interactions.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { loggedInteractionEntry } from '../timeline/entries.js';
import { columnsOf, editableInteraction, requireStaff } from './shared.js';

export async function updateInteraction(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  id: string,
  body: UpdateInteractionBody,
  ifMatch: string | undefined,
): Promise<Interaction> {
  requireStaff(principal);
  const { interactions, timeline } = deps.repositories;
  return transaction(deps.db, async ({ db: tx }) => {
    const before = await editableInteraction(deps, tx, principal, customerId, id);
    if (!matchesIfMatch(ifMatch, before.version)) {
      throw new AppError(
        'precondition_failed',
        `The interaction changed (now version ${before.version})`,
      );
    }
    const after = await interactions.update(tx, principal.tenant, id, columnsOf(body));
    await interactions.audit(tx, {
      tenantId: principal.tenant,
      interactionId: id,
      customerId: after.customerId,
      action: 'updated',
      actorId: principal.sub,
      actorRole: principal.role,
      before: toInteractionDto(before),
      after: toInteractionDto(after),
    });
    await timeline.removeObjectEntries(tx, principal.tenant, 'interaction', id);
    await timeline.add(
      tx,
      principal.tenant,
      `interaction:${id}:v${after.version}`,
      loggedInteractionEntry(after),
    );
    return toInteractionDto(after);
  });
}
