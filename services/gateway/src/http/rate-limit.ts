import { AppError, type TokenVerifier } from '@crm/service-kit';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { rateLimitKey } from '../domain/rate-limit.js';

const WINDOW_MS = 60_000;

async function verifiedPrincipal(req: Request, verify: TokenVerifier) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) return undefined;
  try {
    return await verify(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * Runs before authentication so that failed logins are counted too; the token is
 * verified here only to pick the budget (a forged one falls back to the address), and
 * checked again, with its errors, by the authentication step after it.
 */
export function rateLimiter(limitPerMinute: number, verify: TokenVerifier): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'crm',
    keyGenerator: async (req) =>
      rateLimitKey(await verifiedPrincipal(req, verify), ipKeyGenerator(req.ip ?? 'unknown')),
    handler: (_req, _res, next) => {
      next(new AppError('rate_limited', 'Too many requests; wait before retrying'));
    },
  });
}
