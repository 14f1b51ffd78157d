import { Claims, type Role } from '@crm/contracts';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  SignJWT,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { AppError } from './errors.js';

export interface AuthSettings {
  secret?: string | undefined;
  jwksUrl?: string | undefined;
  issuer: string;
  audience: string;
  /** Allow-list for JWKS keys; HS256 is the only algorithm accepted with a secret. */
  algorithms?: string[] | undefined;
  /** Tokens whose verification is remembered (default 10,000). */
  cacheSize?: number | undefined;
}

export interface Principal extends Claims {
  token: string;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** The JWT_* settings every process reads from its config. */
export interface JwtConfig {
  JWT_SECRET?: string | undefined;
  JWT_JWKS_URL?: string | undefined;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWT_ALGORITHMS: string;
}

/** The verifier a process's JWT_* config describes. */
export function verifierFrom(config: JwtConfig): TokenVerifier {
  return createVerifier({
    secret: config.JWT_SECRET,
    jwksUrl: config.JWT_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    algorithms: config.JWT_ALGORITHMS.split(',').map((a) => a.trim()),
  });
}

/** Verifies issuer, audience, expiry and algorithm; never accepts `alg: none`. */
export function createVerifier(settings: AuthSettings): TokenVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (settings.jwksUrl) {
    key = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30_000 });
    algorithms = settings.algorithms ?? ['RS256', 'ES256', 'EdDSA'];
  } else if (settings.secret) {
    key = new TextEncoder().encode(settings.secret);
    algorithms = ['HS256'];
  } else {
    throw new Error('Authentication needs a JWKS URL or a secret');
  }
  // A token verified once is taken again without the signature check until it expires, for
  // at most a minute (so a key withdrawn from the JWKS stops working within that minute).
  // The gateway and the service both verify every request; this makes the second one cheap.
  const verified = new LRUCache<string, { principal: Principal; expiresAtMs: number }>({
    max: settings.cacheSize ?? 10_000,
    ttl: 60_000,
  });
  return async (token) => {
    const hit = verified.get(token);
    if (hit) {
      if (hit.expiresAtMs > Date.now()) return { ...hit.principal };
      verified.delete(token);
    }
    const fresh = await verify(token);
    verified.set(token, fresh);
    return { ...fresh.principal };
  };

  async function verify(token: string): Promise<{ principal: Principal; expiresAtMs: number }> {
    let payload: JWTPayload;
    try {
      const verified =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, {
              issuer: settings.issuer,
              audience: settings.audience,
              algorithms,
              requiredClaims: ['exp', 'sub'],
            })
          : await jwtVerify(token, key, {
              issuer: settings.issuer,
              audience: settings.audience,
              algorithms,
              requiredClaims: ['exp', 'sub'],
            });
      payload = verified.payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new AppError('unauthenticated', 'The token has expired');
      }
      throw new AppError('unauthenticated', 'The token is not valid');
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) {
      // A token whose claims cannot name a principal (no tenant, an unknown role, a customer
      // whose subject is not a customer id) is no credential at all.
      throw new AppError(
        'unauthenticated',
        'The token lacks the CRM claims (tenant, role, a subject that names the caller)',
      );
    }
    // jwtVerify requires `exp`.
    return { principal: { ...claims.data, token }, expiresAtMs: (payload.exp ?? 0) * 1000 };
  }
}

export interface DevTokenInput {
  secret: string;
  tenant: string;
  role: Role;
  sub?: string;
  teams?: string[];
  name?: string;
  email?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
}

/** Development tokens (HS256); production tokens come from the identity provider. */
export async function signDevToken(input: DevTokenInput): Promise<string> {
  const payload: Record<string, unknown> = {
    tenant: input.tenant,
    role: input.role,
    teams: input.teams ?? [],
  };
  if (input.name) payload.name = input.name;
  if (input.email) payload.email = input.email;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.sub ?? `${input.role}-dev`)
    .setIssuer(input.issuer ?? 'bookingx-crm')
    .setAudience(input.audience ?? 'crm')
    .setIssuedAt()
    .setExpirationTime(input.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(input.secret));
}

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
      /** The JSON body as received, for signature checks. */
      rawBody?: Buffer;
    }
  }
}

export const TENANT_HEADER = 'x-tenant-id';

/**
 * Every request needs a valid bearer token. A caller may name the tenant it means in
 * `X-Tenant-Id`; naming another tenant than its token's is refused with 403.
 */
export function authenticate(verify: TokenVerifier): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      next(
        new AppError('unauthenticated', 'A bearer token is required', undefined, {
          'WWW-Authenticate': 'Bearer realm="crm"',
        }),
      );
      return;
    }
    verify(match[1]).then(
      (principal) => {
        const tenantHeader = req.get(TENANT_HEADER);
        if (tenantHeader && tenantHeader !== principal.tenant) {
          next(new AppError('forbidden', 'The token does not belong to the requested tenant'));
          return;
        }
        req.principal = principal;
        next();
      },
      (err: unknown) => {
        next(err);
      },
    );
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AppError('unauthenticated', 'A bearer token is required');
  return req.principal;
}

/** A route's declared roles: any other role is refused with 403 (the kit and the gateway both ask). */
export function assertRole(principal: Principal, roles: readonly Role[]): void {
  if (!roles.includes(principal.role)) {
    throw new AppError('forbidden', `This operation needs one of the roles: ${roles.join(', ')}`);
  }
}
