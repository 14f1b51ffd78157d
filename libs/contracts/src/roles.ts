import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'staff', 'sales_rep', 'customer'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const STAFF_ROLE_VALUES = ['admin', 'manager', 'staff', 'sales_rep'] as const;
export const STAFF_ROLES: readonly Role[] = STAFF_ROLE_VALUES;
export const StaffRole = z.enum(STAFF_ROLE_VALUES);
export type StaffRole = z.infer<typeof StaffRole>;

/**
 * Claims every CRM token carries, whichever issuer signed it. A customer's `sub` is the
 * customer's id; a staff member's is the identity provider's, free-form but bounded.
 */
export const Claims = z
  .object({
    sub: z.string().min(1).max(255),
    tenant: z.uuid(),
    role: Role,
    teams: z.array(z.string()).default([]),
    name: z.string().optional(),
    /** Read by the gateway's staff directory; an identity provider may leave it out. */
    email: z.string().optional(),
  })
  .superRefine((claims, ctx) => {
    if (claims.role === 'customer' && !z.uuid().safeParse(claims.sub).success) {
      ctx.addIssue({ code: 'custom', path: ['sub'], message: "A customer's sub is its UUID" });
    }
  });
export type Claims = z.infer<typeof Claims>;

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}
