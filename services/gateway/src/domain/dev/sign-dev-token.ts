import type { DevToken, DevTokenBody } from '@crm/contracts';
import { signDevToken } from '@crm/service-kit';

const LIFETIME_MS = 12 * 60 * 60 * 1000;

export interface DevTokenDeps {
  secret: string;
  tenantId: string;
  issuer: string;
  audience: string;
  clock: () => Date;
}

/** A staff token for the development tenant, signed as the services verify them. */
export async function signDemoToken(deps: DevTokenDeps, body: DevTokenBody): Promise<DevToken> {
  // Whole seconds: a JWT's `exp` has no more.
  const expires = Math.floor((deps.clock().getTime() + LIFETIME_MS) / 1000);
  const token = await signDevToken({
    secret: deps.secret,
    tenant: deps.tenantId,
    role: body.role,
    issuer: deps.issuer,
    audience: deps.audience,
    expiresIn: expires,
    ...(body.sub === undefined ? {} : { sub: body.sub }),
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.email === undefined ? {} : { email: body.email }),
  });
  return { token, expires_at: new Date(expires * 1000).toISOString() };
}
