import {
  RELATIONSHIP_INVERSES,
  type Household,
  type Relationship,
  type RelationshipType,
} from '@crm/contracts';
import {
  AppError,
  matchesIfMatch,
  notFound,
  scopeOf,
  type Executor,
  type Principal,
} from '@crm/service-kit';
import type { CustomerRow, HouseholdRow, RelationshipRow } from '../../db/schema.js';
import type { ChangeContext } from '../audit/audit-trail.js';
import type { RelationshipsDeps } from './relationships-deps.js';

function member(row: CustomerRow) {
  return { id: row.id, first_name: row.firstName, last_name: row.lastName };
}

export function toRelationshipDto(row: RelationshipRow, other: CustomerRow): Relationship {
  return {
    id: row.id,
    customer_id: row.customerId,
    related_customer: member(other),
    type: row.type as RelationshipType,
    note: row.note,
    created_at: row.createdAt.toISOString(),
  };
}

export async function householdDto(
  deps: RelationshipsDeps,
  db: Executor,
  principal: Principal,
  row: HouseholdRow,
): Promise<Household> {
  const ids = await deps.repo.memberIds(db, principal.tenant, row.id);
  const visible = await deps.customers.visible(db, scopeOf(principal), ids);
  return {
    id: row.id,
    name: row.name,
    members: visible.map(member).sort((a, b) => a.id.localeCompare(b.id)),
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * The household, locked for the rest of the transaction, as long as the caller sees one of its
 * members and read this version.
 */
export async function lockHousehold(
  deps: RelationshipsDeps,
  tx: Executor,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
): Promise<HouseholdRow> {
  const row = await deps.repo.household(tx, principal.tenant, id, true);
  if (!row) throw notFound('Household');
  const ids = await deps.repo.memberIds(tx, principal.tenant, id);
  if ((await deps.customers.visible(tx, scopeOf(principal), ids)).length === 0) {
    throw notFound('Household');
  }
  if (!matchesIfMatch(ifMatch, row.version)) {
    throw new AppError('precondition_failed', 'The household changed since you read it');
  }
  return row;
}

/** 404 naming every customer of `ids` the caller does not see. */
export async function assertVisible(
  deps: RelationshipsDeps,
  tx: Executor,
  principal: Principal,
  ids: string[],
): Promise<void> {
  const seen = new Set(
    (await deps.customers.visible(tx, scopeOf(principal), ids)).map((c) => c.id),
  );
  const missing = ids.filter((i) => !seen.has(i));
  if (missing.length > 0) throw notFound(`Customer ${missing.join(', ')}`);
}

/** Each side of the relationship records it, the other customer's side with the inverse type. */
export async function recordRelationship(
  deps: RelationshipsDeps,
  tx: Executor,
  principal: Principal,
  row: RelationshipRow,
  what: 'added' | 'removed',
  ctx: ChangeContext,
): Promise<void> {
  const value = (type: string, related: string) => ({
    id: row.id,
    type,
    related_customer_id: related,
  });
  const inverse = RELATIONSHIP_INVERSES[row.type as RelationshipType];
  for (const [customer, entry] of [
    [row.customerId, value(row.type, row.relatedId)],
    [row.relatedId, value(inverse, row.customerId)],
  ] as const) {
    await deps.audit.record(
      tx,
      principal.tenant,
      customer,
      [
        {
          field: 'relationships',
          oldValue: what === 'removed' ? entry : null,
          newValue: what === 'added' ? entry : null,
        },
      ],
      ctx,
    );
  }
}

export async function recordHousehold(
  deps: RelationshipsDeps,
  tx: Executor,
  principal: Principal,
  customerIds: string[],
  householdId: string | null,
  ctx: ChangeContext,
): Promise<void> {
  for (const id of customerIds) {
    await deps.audit.record(
      tx,
      principal.tenant,
      id,
      [{ field: 'household_id', oldValue: null, newValue: householdId }],
      ctx,
    );
  }
}
