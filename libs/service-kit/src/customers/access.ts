import { and, eq, inArray, or, sql, type Column, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Principal } from '../auth.js';
import type { CustomerTables } from './tables.js';

/**
 * Who may see which customers (DESIGN section 3): admins the whole tenant; managers the
 * customers owned by them or by their teams, or where they collaborate; staff and sales reps
 * those assigned to them or where they collaborate; a customer only themself. Every service
 * derives it here and turns it into the WHERE clause of its queries, so no route can forget it.
 */
export type CustomerScope =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'team'; tenantId: string; ownerId: string; teams: string[] }
  | { kind: 'owner'; tenantId: string; ownerId: string }
  | { kind: 'self'; tenantId: string; customerId: string };

export function scopeOf(principal: Principal): CustomerScope {
  switch (principal.role) {
    case 'admin':
      return { kind: 'tenant', tenantId: principal.tenant };
    case 'manager':
      return {
        kind: 'team',
        tenantId: principal.tenant,
        ownerId: principal.sub,
        teams: principal.teams,
      };
    case 'staff':
    case 'sales_rep':
      return { kind: 'owner', tenantId: principal.tenant, ownerId: principal.sub };
    case 'customer':
      return { kind: 'self', tenantId: principal.tenant, customerId: principal.sub };
  }
}

type Replica = CustomerTables['customerAccess'];

/** Where a table keeps what access is decided on: a customer's tenant, id and assignment. */
export interface AssignmentColumns {
  tenantId: Column;
  customerId: Column;
  ownerId: Column;
  teamId: Column;
  /** Whether the staff member collaborates on the row's customer. */
  collaborates: (staffId: string) => SQL;
}

/** The scope over rows that carry a customer's assignment: which of them the caller may see. */
export function assignmentPredicate(columns: AssignmentColumns, scope: CustomerScope): SQL {
  const tenant = eq(columns.tenantId, scope.tenantId);
  switch (scope.kind) {
    case 'tenant':
      return tenant;
    case 'owner':
      return and(
        tenant,
        or(eq(columns.ownerId, scope.ownerId), columns.collaborates(scope.ownerId)),
      ) as SQL;
    case 'team':
      return and(
        tenant,
        or(
          eq(columns.ownerId, scope.ownerId),
          columns.collaborates(scope.ownerId),
          scope.teams.length > 0 ? inArray(columns.teamId, scope.teams) : undefined,
        ),
      ) as SQL;
    case 'self':
      return and(tenant, eq(columns.customerId, scope.customerId)) as SQL;
  }
}

/** The scope over rows of the assignment replica: which replica rows the caller may see. */
export function replicaPredicate(replica: Replica, scope: CustomerScope): SQL {
  return assignmentPredicate(
    {
      tenantId: replica.tenantId,
      customerId: replica.customerId,
      ownerId: replica.ownerId,
      teamId: replica.teamId,
      collaborates: (id) => sql`${id} = ANY(${replica.collaboratorIds})`,
    },
    scope,
  );
}

/**
 * The scope as a predicate a repository adds to its own query: rows whose customer (the
 * column `customerId` of the queried table) the caller may see, by the local replica.
 */
export function customerVisible(
  replica: Replica,
  scope: CustomerScope,
  customerId: SQLWrapper,
): SQL {
  if (scope.kind === 'self') return eq(customerId, scope.customerId);
  return sql`EXISTS (SELECT 1 FROM ${replica} WHERE ${replica.customerId} = ${customerId} AND ${replicaPredicate(replica, scope)})`;
}
