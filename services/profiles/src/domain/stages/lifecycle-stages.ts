import {
  DEFAULT_LIFECYCLE_STAGES,
  type LifecycleStage,
  type PutLifecycleStagesBody,
} from '@crm/contracts';
import {
  AppError,
  memo,
  type Db,
  type Executor,
  type Principal,
  matchesIfMatch,
  transaction,
} from '@crm/service-kit';
import type { StagesRepository } from '../../db/stages.repository.js';

export interface StageList {
  stages: LifecycleStage[];
  /** 1 for the built-in default list; a tenant's first own list is version 2. */
  version: number;
}

/** Each tenant's lifecycle stages (setting default_customer_stage names where new customers start). */
export class LifecycleStagesService {
  constructor(
    private readonly db: Db,
    private readonly repo: StagesRepository,
    private readonly defaultStage: string,
  ) {}

  async current(db: Executor, tenantId: string): Promise<StageList> {
    return (await this.repo.get(db, tenantId)) ?? { stages: DEFAULT_LIFECYCLE_STAGES, version: 1 };
  }

  async get(principal: Principal): Promise<StageList> {
    return this.current(this.db, principal.tenant);
  }

  async put(
    principal: Principal,
    body: PutLifecycleStagesBody,
    ifMatch: string | undefined,
  ): Promise<StageList> {
    const keys = body.stages.map((s) => s.key);
    const repeated = keys.findIndex((k, i) => keys.indexOf(k) !== i);
    if (repeated !== -1) {
      throw new AppError('validation_failed', 'A stage key is repeated', [
        {
          field: `stages.${repeated}.key`,
          code: 'duplicate',
          message: `Stage ${keys[repeated] ?? ''} appears twice`,
        },
      ]);
    }
    if (!keys.includes(this.defaultStage)) {
      throw new AppError('validation_failed', 'The default stage of new customers is missing', [
        {
          field: 'stages',
          code: 'missing_default_stage',
          message: `The list must hold "${this.defaultStage}", where new customers start`,
        },
      ]);
    }
    return transaction(this.db, async ({ db: tx }) => {
      const stored = (await this.repo.lock(tx, principal.tenant)) ?? {
        stages: DEFAULT_LIFECYCLE_STAGES,
        version: 1,
      };
      if (!matchesIfMatch(ifMatch, stored.version)) {
        throw new AppError(
          'precondition_failed',
          `The stages changed since you read them (now version ${stored.version})`,
        );
      }
      return this.repo.put(tx, principal.tenant, body.stages);
    });
  }

  /** A stage outside the tenant's list is refused with 422 naming the field. */
  async assertKnown(db: Executor, tenantId: string, stage: string, field = 'customer_stage') {
    // Read once per transaction: an import checks the stage of every row.
    const { stages } = await memo(db, `stages:${tenantId}`, () => this.current(db, tenantId), {
      read: true,
    });
    if (!stages.some((s) => s.key === stage)) {
      throw new AppError('validation_failed', 'Unknown lifecycle stage', [
        {
          field,
          code: 'unknown_stage',
          message: `"${stage}" is not one of ${stages.map((s) => s.key).join(', ')}`,
        },
      ]);
    }
  }
}
