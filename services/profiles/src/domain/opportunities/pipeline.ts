import {
  DEFAULT_OPPORTUNITY_STAGES,
  newId,
  type CreateOpportunityBody,
  type LifecycleStage,
  type ListOpportunitiesQuery,
  type Opportunity,
  type OpportunityStages,
  type Page,
  type PutOpportunityStagesBody,
  type UpdateOpportunityBody,
} from '@crm/contracts';
import {
  AppError,
  CursorTime,
  type Db,
  encodeCursor,
  type Executor,
  matchesIfMatch,
  notFound,
  type Principal,
  readCursor,
  transaction,
  scopeOf,
} from '@crm/service-kit';
import { z } from 'zod';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { OpportunitiesRepository } from '../../db/opportunities.repository.js';
import type { OpportunityRow } from '../../db/schema.js';

/** Where the next page starts: the last opportunity's creation time and id. */
const OpportunityCursor = z.tuple([CursorTime, z.uuid()]);

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

/** The sales pipeline: opportunities on customers, by stage, won or lost with a reason. */
export class Pipeline {
  constructor(
    private readonly db: Db,
    private readonly repo: OpportunitiesRepository,
    private readonly customers: CustomersRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async stageList(db: Executor, tenantId: string) {
    return (
      (await this.repo.stages(db, tenantId)) ?? { stages: DEFAULT_OPPORTUNITY_STAGES, version: 1 }
    );
  }

  private async assertStage(db: Executor, tenantId: string, stage: string): Promise<void> {
    const { stages } = await this.stageList(db, tenantId);
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

  async list(
    principal: Principal,
    query: ListOpportunitiesQuery,
    customerId?: string,
  ): Promise<Page<Opportunity>> {
    const scope = scopeOf(principal);
    if (customerId) {
      const [visible] = await this.customers.visible(this.db, scope, [customerId]);
      if (!visible) throw notFound('Customer');
    }
    let before: { at: Date; id: string } | undefined;
    if (query.cursor) {
      const [at, id] = readCursor(OpportunityCursor, query.cursor);
      before = { at, id };
    }
    const rows = await this.repo.list(
      this.db,
      scope,
      { customerId, stage: query.stage, status: query.status, ownerId: query.owner_id },
      { before, limit: query.limit + 1 },
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map(toOpportunityDto),
      next_cursor:
        rows.length > query.limit && last
          ? encodeCursor([last.createdAt.toISOString(), last.id])
          : null,
    };
  }

  async get(principal: Principal, id: string): Promise<Opportunity> {
    const row = await this.repo.find(this.db, scopeOf(principal), id);
    if (!row) throw notFound('Opportunity');
    return toOpportunityDto(row);
  }

  async create(
    principal: Principal,
    customerId: string,
    body: CreateOpportunityBody,
  ): Promise<Opportunity> {
    return transaction(this.db, async ({ db: tx }) => {
      const [customer] = await this.customers.visible(tx, scopeOf(principal), [customerId]);
      if (!customer) throw notFound('Customer');
      const { stages } = await this.stageList(tx, principal.tenant);
      const stage = body.stage ?? stages[0]?.key ?? 'qualification';
      await this.assertStage(tx, principal.tenant, stage);
      const row = await this.repo.insert(tx, {
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
        createdAt: this.clock(),
        updatedAt: this.clock(),
      });
      return toOpportunityDto(row);
    });
  }

  async update(
    principal: Principal,
    id: string,
    body: UpdateOpportunityBody,
    ifMatch: string | undefined,
  ): Promise<Opportunity> {
    return transaction(this.db, async ({ db: tx }) => {
      const current = await this.repo.find(tx, scopeOf(principal), id, true);
      if (!current) throw notFound('Opportunity');
      if (!matchesIfMatch(ifMatch, current.version)) {
        throw new AppError('precondition_failed', 'The opportunity changed since you read it');
      }
      if (body.stage !== undefined && body.stage !== current.stage) {
        await this.assertStage(tx, principal.tenant, body.stage);
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
        changes.closedAt = body.status === 'open' ? null : this.clock();
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
      return toOpportunityDto(await this.repo.update(tx, principal.tenant, id, changes));
    });
  }

  async stages(principal: Principal): Promise<OpportunityStages & { version: number }> {
    const list = await this.stageList(this.db, principal.tenant);
    return { ...(await this.withTotals(principal, list.stages)), version: list.version };
  }

  async putStages(
    principal: Principal,
    body: PutOpportunityStagesBody,
    ifMatch: string | undefined,
  ): Promise<OpportunityStages & { version: number }> {
    const keys = body.stages.map((s) => s.key);
    const repeated = keys.findIndex((k, i) => keys.indexOf(k) !== i);
    if (repeated !== -1) {
      throw new AppError('validation_failed', 'A stage key is repeated', [
        { field: `stages.${repeated}.key`, code: 'duplicate', message: 'Stage keys are unique' },
      ]);
    }
    const stored = await transaction(this.db, async ({ db: tx }) => {
      const current = (await this.repo.lockStages(tx, principal.tenant)) ?? {
        stages: DEFAULT_OPPORTUNITY_STAGES,
        version: 1,
      };
      if (!matchesIfMatch(ifMatch, current.version)) {
        throw new AppError('precondition_failed', 'The stages changed since you read them');
      }
      return this.repo.putStages(tx, principal.tenant, body.stages);
    });
    return { ...(await this.withTotals(principal, stored.stages)), version: stored.version };
  }

  private async withTotals(
    principal: Principal,
    stages: LifecycleStage[],
  ): Promise<OpportunityStages> {
    const rows = await this.repo.openTotals(this.db, scopeOf(principal));
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
}
