import { OPERATION_ROLES, type OperationId } from '../api/generated/operation-roles';

export type Role = 'admin' | 'manager' | 'staff' | 'sales_rep' | 'customer';
const ROLES: readonly Role[] = ['admin', 'manager', 'staff', 'sales_rep', 'customer'];

/** What the console reads from a token, for display and to hide what the role may not do. */
export interface Claims {
  sub: string;
  tenant: string;
  role: Role;
  name: string | null;
  /** Seconds since the epoch, when the token says. */
  exp: number | null;
}

function base64UrlDecode(part: string): string {
  const base64 = part.replaceAll('-', '+').replaceAll('_', '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * The claims of a JWT, read without verifying it: the API verifies every call, so a forged
 * token only changes what this page shows, never what it may do.
 */
export function decodeClaims(token: string): Claims | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[1] === undefined) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(base64UrlDecode(parts[1]));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (typeof p.sub !== 'string' || typeof p.tenant !== 'string') return null;
  if (typeof p.role !== 'string' || !(ROLES as readonly string[]).includes(p.role)) return null;
  return {
    sub: p.sub,
    tenant: p.tenant,
    role: p.role as Role,
    name: typeof p.name === 'string' && p.name !== '' ? p.name : null,
    exp: typeof p.exp === 'number' ? p.exp : null,
  };
}

export function isExpired(claims: Claims, nowMs: number): boolean {
  return claims.exp !== null && claims.exp * 1000 <= nowMs;
}

/** Whether the role may call the operation at all, from the operation's `x-roles`. */
export function roleMay(role: Role, operation: OperationId): boolean {
  return (OPERATION_ROLES[operation] as readonly string[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  staff: 'Staff',
  sales_rep: 'Sales rep',
  customer: 'Customer',
};
