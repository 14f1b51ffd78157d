import { newId, type Interaction, type LogInteractionBody } from '@crm/contracts';
import { AppError, transaction, type Principal } from '@crm/service-kit';
import { toInteractionDto } from '../../db/interactions.repository.js';
import type { TrackingDefaults } from '../../db/settings.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { loggedInteractionEntry } from '../timeline/entries.js';
import { columnsOf, publishRecorded, requireStaff } from './shared.js';

const TRACKED_BY: Partial<Record<string, keyof TrackingDefaults>> = {
  call: 'trackCalls',
  email: 'trackEmails',
  sms: 'trackSms',
};

/** Staff log a call, walk-in or ticket; audited, on the timeline, and announced. */
export async function logInteraction(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  body: LogInteractionBody,
): Promise<Interaction> {
  requireStaff(principal);
  const { interactions, settings, timeline } = deps.repositories;
  return transaction(deps.db, async ({ db: tx }) => {
    const resolved = await deps.access.require(tx, principal, customerId);
    const setting = TRACKED_BY[body.interaction_type];
    if (setting && !(await settings.effective(tx, principal.tenant))[setting]) {
      throw new AppError(
        'forbidden',
        `This business does not track ${body.interaction_type.replace('_', ' ')} interactions (setting ${setting.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)})`,
      );
    }
    const row = await interactions.insert(tx, {
      ...columnsOf(body),
      tenantId: principal.tenant,
      id: newId(),
      customerId: resolved,
      interactionType: body.interaction_type,
      interactionSource: 'crm',
      staffId: body.staff_id ?? principal.sub,
      interactionDate: body.interaction_date ? new Date(body.interaction_date) : deps.clock(),
      metadata: body.metadata ?? {},
      createdBy: principal.sub,
    });
    const dto = toInteractionDto(row);
    await interactions.audit(tx, {
      tenantId: principal.tenant,
      interactionId: row.id,
      customerId: resolved,
      action: 'created',
      actorId: principal.sub,
      actorRole: principal.role,
      before: null,
      after: dto,
    });
    await timeline.add(tx, principal.tenant, `interaction:${row.id}`, loggedInteractionEntry(row));
    await publishRecorded(deps.outbox, tx, [
      { ...row, interactionSource: 'crm', direction: dto.direction },
    ]);
    return dto;
  });
}
