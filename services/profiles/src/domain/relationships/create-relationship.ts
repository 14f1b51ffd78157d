import {
  newId,
  RELATIONSHIP_INVERSES,
  type CreateRelationshipBody,
  type Relationship,
} from '@crm/contracts';
import { AppError, notFound, scopeOf, transaction, type Principal } from '@crm/service-kit';
import { routeContext } from '../customers/customer-events.js';
import { recordRelationship, toRelationshipDto } from './relationship.js';
import type { RelationshipsDeps } from './relationships-deps.js';

/** Both sides at once: the related customer gets the inverse relationship. */
export async function createRelationship(
  deps: RelationshipsDeps,
  principal: Principal,
  customerId: string,
  body: CreateRelationshipBody,
): Promise<Relationship> {
  if (body.related_customer_id === customerId) {
    throw new AppError('validation_failed', 'A customer cannot be related to itself', [
      {
        field: 'related_customer_id',
        code: 'self_relationship',
        message: 'Name another customer',
      },
    ]);
  }
  return transaction(deps.db, async ({ db: tx }) => {
    const both = await deps.customers.visible(tx, scopeOf(principal), [
      customerId,
      body.related_customer_id,
    ]);
    const self = both.find((c) => c.id === customerId);
    const other = both.find((c) => c.id === body.related_customer_id);
    if (!self || !other) throw notFound('Customer');
    const row = await deps.repo.insertPair(
      tx,
      {
        tenantId: principal.tenant,
        id: newId(),
        customerId,
        relatedId: other.id,
        type: body.type,
        note: body.note ?? null,
        createdBy: principal.sub,
      },
      RELATIONSHIP_INVERSES[body.type],
    );
    if (!row) {
      throw new AppError('conflict', `These customers already have a ${body.type} relationship`);
    }
    await recordRelationship(
      deps,
      tx,
      principal,
      row,
      'added',
      routeContext(principal, 'createRelationship'),
    );
    return toRelationshipDto(row, other);
  });
}
