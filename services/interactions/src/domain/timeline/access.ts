import type { Principal } from '@crm/service-kit';

export type TimelineScope =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'team'; tenantId: string; ownerId: string; teams: string[] }
  | { kind: 'owner'; tenantId: string; ownerId: string }
  | { kind: 'self'; tenantId: string; customerId: string };

/** Same rule as profiles (DESIGN section 3), checked against the local assignment replica. */
export function scopeOf(principal: Principal): TimelineScope {
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
