import type { Opportunity, UpdateOpportunityBody } from '@crm/contracts';
import {
  AppError,
  matchesIfMatch,
  notFound,
  scopeOf,
  transaction,
  type Principal,
} from '@crm/service-kit';
import type { OpportunityRow } from '../../db/schema.js';
import type { OpportunitiesDeps } from './opportunities-deps.js';
import { assertPipelineStage, toOpportunityDto } from './opportunity.js';

/** Closing an opportunity dates it; only a lost one has a lost reason. */
export async function updateOpportunity(
  deps: OpportunitiesDeps,
  principal: Principal,
  id: string,
  body: UpdateOpportunityBody,
  ifMatch: string | undefined,
): Promise<Opportunity> {
  return transaction(deps.db, async ({ db: tx }) => {
    const current = await deps.repo.find(tx, scopeOf(principal), id, true);
    if (!current) throw notFound('Opportunity');
    if (!matchesIfMatch(ifMatch, current.version)) {
      throw new AppError('precondition_failed', 'The opportunity changed since you read it');
    }
    if (body.stage !== undefined && body.stage !== current.stage) {
      await assertPipelineStage(deps, tx, principal.tenant, body.stage);
    }
    const changes: Partial<OpportunityRow> = {};
    if (body.title !== undefined) changes.title = body.title;
    if (body.stage !== undefined) changes.stage = body.stage;
    if (body.value !== undefined) {
      changes.amountMinor = body.value.amount_minor;
      changes.currency = body.value.currency;
    }
    if (body.expected_close_date !== undefined)
      changes.expectedCloseDate = body.expected_close_date;
    if (body.owner_id !== undefined) changes.ownerId = body.owner_id;
    if (body.status !== undefined && body.status !== current.status) {
      changes.status = body.status;
      changes.closedAt = body.status === 'open' ? null : deps.clock();
      if (body.status !== 'lost') changes.lostReason = null;
    }
    if (body.lost_reason !== undefined) {
      if ((body.status ?? current.status) !== 'lost' && body.lost_reason !== null) {
        throw new AppError('validation_failed', 'Only a lost opportunity has a lost reason', [
          { field: 'lost_reason', code: 'not_lost', message: 'Set status to lost with it' },
        ]);
      }
      changes.lostReason = body.lost_reason;
    }
    return toOpportunityDto(await deps.repo.update(tx, principal.tenant, id, changes));
  });
}
