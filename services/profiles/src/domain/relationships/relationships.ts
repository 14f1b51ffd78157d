import {
  newId,
  RELATIONSHIP_INVERSES,
  type CreateHouseholdBody,
  type CreateRelationshipBody,
  type CustomerRelationships,
  type Household,
  type Relationship,
  type RelationshipType,
  type UpdateHouseholdBody,
} from '@crm/contracts';
import {
  AppError,
  notFound,
  type Db,
  type Executor,
  type Principal,
  matchesIfMatch,
  transaction,
  scopeOf,
} from '@crm/service-kit';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { RelationshipsRepository } from '../../db/relationships.repository.js';
import type { CustomerRow, HouseholdRow, RelationshipRow } from '../../db/schema.js';
import type { AuditTrail, ChangeContext } from '../audit/audit-trail.js';
import { routeContext } from '../customers/customer-events.js';

function member(row: CustomerRow) {
  return { id: row.id, first_name: row.firstName, last_name: row.lastName };
}

/** Typed two-sided relationships between customers, and households. */
export class Relationships {
  constructor(
    private readonly db: Db,
    private readonly repo: RelationshipsRepository,
    private readonly customers: CustomersRepository,
    private readonly audit: AuditTrail,
  ) {}

  async list(principal: Principal, customerId: string): Promise<CustomerRelationships> {
    const scope = scopeOf(principal);
    const [self] = await this.customers.visible(this.db, scope, [customerId]);
    if (!self) throw notFound('Customer');
    const rows = await this.repo.of(this.db, principal.tenant, customerId);
    const related = new Map(
      (
        await this.customers.visible(
          this.db,
          scope,
          rows.map((r) => r.relatedId),
        )
      ).map((c) => [c.id, c]),
    );
    const data = rows.flatMap((r) => {
      const other = related.get(r.relatedId);
      return other ? [this.toDto(r, other)] : [];
    });
    const household = await this.repo.householdOf(this.db, principal.tenant, customerId);
    return {
      data,
      next_cursor: null,
      household: household ? await this.householdDto(this.db, principal, household) : null,
    };
  }

  async create(
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
    return transaction(this.db, async ({ db: tx }) => {
      const both = await this.customers.visible(tx, scopeOf(principal), [
        customerId,
        body.related_customer_id,
      ]);
      const self = both.find((c) => c.id === customerId);
      const other = both.find((c) => c.id === body.related_customer_id);
      if (!self || !other) throw notFound('Customer');
      const row = await this.repo.insertPair(
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
      await this.record(tx, principal, row, 'added', routeContext(principal, 'createRelationship'));
      return this.toDto(row, other);
    });
  }

  async delete(principal: Principal, customerId: string, relationshipId: string): Promise<void> {
    await transaction(this.db, async ({ db: tx }) => {
      const [self] = await this.customers.visible(tx, scopeOf(principal), [customerId]);
      if (!self) throw notFound('Customer');
      const row = await this.repo.find(tx, principal.tenant, customerId, relationshipId);
      if (!row) throw notFound('Relationship');
      await this.repo.deletePair(tx, principal.tenant, relationshipId);
      await this.record(
        tx,
        principal,
        row,
        'removed',
        routeContext(principal, 'deleteRelationship'),
      );
    });
  }

  async createHousehold(principal: Principal, body: CreateHouseholdBody): Promise<Household> {
    const ids = [...new Set(body.member_ids)];
    return transaction(this.db, async ({ db: tx }) => {
      await this.assertVisible(tx, principal, ids);
      const row = await this.repo.createHousehold(tx, {
        tenantId: principal.tenant,
        id: newId(),
        name: body.name,
      });
      await this.repo.join(tx, principal.tenant, row.id, ids);
      await this.recordHousehold(
        tx,
        principal,
        ids,
        row.id,
        routeContext(principal, 'createHousehold'),
      );
      return this.householdDto(tx, principal, row);
    });
  }

  async getHousehold(principal: Principal, id: string): Promise<Household> {
    const row = await this.repo.household(this.db, principal.tenant, id);
    if (!row) throw notFound('Household');
    const dto = await this.householdDto(this.db, principal, row);
    if (dto.members.length === 0) throw notFound('Household');
    return dto;
  }

  async updateHousehold(
    principal: Principal,
    id: string,
    body: UpdateHouseholdBody,
    ifMatch: string | undefined,
  ): Promise<Household> {
    return transaction(this.db, async ({ db: tx }) => {
      const current = await this.lockHousehold(tx, principal, id, ifMatch);
      const add = [...new Set(body.add_member_ids ?? [])];
      const remove = [...new Set(body.remove_member_ids ?? [])];
      await this.assertVisible(tx, principal, [...add, ...remove]);
      await this.repo.join(tx, principal.tenant, current.id, add);
      await this.repo.leave(tx, principal.tenant, current.id, remove);
      const ctx = routeContext(principal, 'updateHousehold');
      await this.recordHousehold(tx, principal, add, current.id, ctx);
      await this.recordHousehold(tx, principal, remove, null, ctx);
      const row = await this.repo.touchHousehold(tx, principal.tenant, current.id, body.name);
      return this.householdDto(tx, principal, row);
    });
  }

  async deleteHousehold(
    principal: Principal,
    id: string,
    ifMatch: string | undefined,
  ): Promise<void> {
    await transaction(this.db, async ({ db: tx }) => {
      const current = await this.lockHousehold(tx, principal, id, ifMatch);
      const memberIds = await this.repo.memberIds(tx, principal.tenant, current.id);
      await this.repo.deleteHousehold(tx, principal.tenant, current.id);
      await this.recordHousehold(
        tx,
        principal,
        memberIds,
        null,
        routeContext(principal, 'deleteHousehold'),
      );
    });
  }

  private async lockHousehold(
    tx: Executor,
    principal: Principal,
    id: string,
    ifMatch: string | undefined,
  ): Promise<HouseholdRow> {
    const row = await this.repo.household(tx, principal.tenant, id, true);
    if (!row) throw notFound('Household');
    const ids = await this.repo.memberIds(tx, principal.tenant, id);
    if ((await this.customers.visible(tx, scopeOf(principal), ids)).length === 0) {
      throw notFound('Household');
    }
    if (!matchesIfMatch(ifMatch, row.version)) {
      throw new AppError('precondition_failed', 'The household changed since you read it');
    }
    return row;
  }

  private async assertVisible(tx: Executor, principal: Principal, ids: string[]): Promise<void> {
    const seen = new Set(
      (await this.customers.visible(tx, scopeOf(principal), ids)).map((c) => c.id),
    );
    const missing = ids.filter((i) => !seen.has(i));
    if (missing.length > 0) throw notFound(`Customer ${missing.join(', ')}`);
  }

  private async householdDto(
    db: Executor,
    principal: Principal,
    row: HouseholdRow,
  ): Promise<Household> {
    const ids = await this.repo.memberIds(db, principal.tenant, row.id);
    const visible = await this.customers.visible(db, scopeOf(principal), ids);
    return {
      id: row.id,
      name: row.name,
      members: visible.map(member).sort((a, b) => a.id.localeCompare(b.id)),
      version: row.version,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }

  private toDto(row: RelationshipRow, other: CustomerRow): Relationship {
    return {
      id: row.id,
      customer_id: row.customerId,
      related_customer: member(other),
      type: row.type as RelationshipType,
      note: row.note,
      created_at: row.createdAt.toISOString(),
    };
  }

  private async record(
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
      await this.audit.record(
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

  private async recordHousehold(
    tx: Executor,
    principal: Principal,
    customerIds: string[],
    householdId: string | null,
    ctx: ChangeContext,
  ): Promise<void> {
    for (const id of customerIds) {
      await this.audit.record(
        tx,
        principal.tenant,
        id,
        [{ field: 'household_id', oldValue: null, newValue: householdId }],
        ctx,
      );
    }
  }
}
