import {
  DEFAULT_OPPORTUNITY_STAGES,
  type LifecycleStage,
  type Opportunity,
  type OpportunityStages,
} from '@crm/contracts';
import { AppError, scopeOf, type Executor, type Principal } from '@crm/service-kit';
import type { OpportunityRow } from '../../db/schema.js';
import type { OpportunitiesDeps } from './opportunities-deps.js';

export function toOpportunityDto(row: OpportunityRow): Opportunity {
  return {
    id: row.id,
    customer_id: row.customerId,
    title: row.title,
    stage: row.stage,
    status: row.status as Opportunity['status'],
    value: { amount_minor: row.amountMinor, currency: row.currency },
    expected_close_date: row.expectedCloseDate,
    owner_id: row.ownerId,
    lost_reason: row.lostReason,
    closed_at: row.closedAt?.toISOString() ?? null,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The tenant's pipeline stages: its own list, or the built-in one until it has one. */
export async function pipelineStages(
  deps: OpportunitiesDeps,
  db: Executor,
  tenantId: string,
): Promise<{ stages: LifecycleStage[]; version: number }> {
  return (
    (await deps.repo.stages(db, tenantId)) ?? { stages: DEFAULT_OPPORTUNITY_STAGES, version: 1 }
  );
}

/** A stage outside the tenant's pipeline is refused with 422 naming `stage`. */
export async function assertPipelineStage(
  deps: OpportunitiesDeps,
  db: Executor,
  tenantId: string,
  stage: string,
): Promise<void> {
  const { stages } = await pipelineStages(deps, db, tenantId);
  if (!stages.some((s) => s.key === stage)) {
    throw new AppError('validation_failed', 'Unknown opportunity stage', [
      {
        field: 'stage',
        code: 'unknown_stage',
        message: `"${stage}" is not one of ${stages.map((s) => s.key).join(', ')}`,
      },
    ]);
  }
}

/** The stages with the open count and value of each, over the opportunities the caller sees. */
export async function withTotals(
  deps: OpportunitiesDeps,
  principal: Principal,
  stages: LifecycleStage[],
): Promise<OpportunityStages> {
  const rows = await deps.repo.openTotals(deps.db, scopeOf(principal));
  return {
    data: stages,
    totals: stages.map((s) => {
      const mine = rows.filter((r) => r.stage === s.key);
      return {
        stage: s.key,
        open_count: mine.reduce((n, r) => n + r.n, 0),
        open_value: mine
          .map((r) => ({ amount_minor: r.total, currency: r.currency }))
          .sort((a, b) => a.currency.localeCompare(b.currency)),
      };
    }),
  };
}
