import { newId, type CreateOpportunityBody, type Opportunity } from '@crm/contracts';
import { notFound, scopeOf, transaction, type Principal } from '@crm/service-kit';
import type { OpportunitiesDeps } from './opportunities-deps.js';
import { assertPipelineStage, pipelineStages, toOpportunityDto } from './opportunity.js';

/** A new opportunity starts open, in the first stage of the pipeline unless told otherwise. */
export async function createOpportunity(
  deps: OpportunitiesDeps,
  principal: Principal,
  customerId: string,
  body: CreateOpportunityBody,
): Promise<Opportunity> {
  return transaction(deps.db, async ({ db: tx }) => {
    const [customer] = await deps.customers.visible(tx, scopeOf(principal), [customerId]);
    if (!customer) throw notFound('Customer');
    const { stages } = await pipelineStages(deps, tx, principal.tenant);
    const stage = body.stage ?? stages[0]?.key ?? 'qualification';
    await assertPipelineStage(deps, tx, principal.tenant, stage);
    const row = await deps.repo.insert(tx, {
      tenantId: principal.tenant,
      id: newId(),
      customerId,
      title: body.title,
      stage,
      status: 'open',
      amountMinor: body.value.amount_minor,
      currency: body.value.currency,
      expectedCloseDate: body.expected_close_date ?? null,
      ownerId: body.owner_id === undefined ? principal.sub : body.owner_id,
      createdAt: deps.clock(),
      updatedAt: deps.clock(),
    });
    return toOpportunityDto(row);
  });
}
