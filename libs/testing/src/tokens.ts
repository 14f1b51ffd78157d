import { randomUUID } from 'node:crypto';
import type { Role } from '@crm/contracts';
import { signDevToken } from '@crm/service-kit';
import { TEST_JWT_SECRET } from './env.js';

/** A tenant no other test uses: each test builds its own data under one. */
export function newTenant(): string {
  return randomUUID();
}

/** A token the services under test accept, for one tenant and role. */
export function tokenFor(
  tenant: string,
  role: Role,
  extra: { sub?: string; teams?: string[] } = {},
): Promise<string> {
  return signDevToken({
    secret: TEST_JWT_SECRET,
    tenant,
    role,
    // A customer's subject is its customer id; a staff member's is free-form.
    sub: extra.sub ?? (role === 'customer' ? randomUUID() : `${role}-${randomUUID().slice(0, 8)}`),
    teams: extra.teams ?? [],
  });
}
