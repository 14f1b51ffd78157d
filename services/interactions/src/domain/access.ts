import { notFound, type Executor, type Principal } from '@crm/service-kit';
import type { AliasesRepository } from '../db/aliases.repository.js';
import type { TimelineRepository } from '../db/timeline.repository.js';
import { scopeOf } from './timeline/access.js';

/**
 * Resolves a customer id (a merged id leads to its survivor) and checks the caller may
 * see that customer; 404 otherwise, as for a customer that does not exist.
 */
export class CustomerAccess {
  constructor(
    private readonly aliases: AliasesRepository,
    private readonly timeline: TimelineRepository,
  ) {}

  async require(db: Executor, principal: Principal, customerId: string): Promise<string> {
    const resolved = await this.aliases.resolve(db, principal.tenant, customerId);
    const scope = scopeOf(principal);
    if (scope.kind === 'self' && scope.customerId !== customerId && scope.customerId !== resolved) {
      throw notFound('Customer');
    }
    if (!(await this.timeline.canSee(db, scope, resolved))) throw notFound('Customer');
    return resolved;
  }
}
