import type { Principal } from '@crm/service-kit';

/**
 * Who may see which customers (DESIGN section 3). The repository turns this into the
 * WHERE clause of every query, so no route can forget it.
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
