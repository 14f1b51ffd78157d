import { AppError } from '@crm/service-kit';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

/** Page views per tracking key and client address per minute; more are refused with 429. */
export function pageViewLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const key: unknown = (req.body as { key?: unknown } | undefined)?.key;
      // IPv6 addresses are grouped by /56, so one host cannot rotate through its range.
      return `${typeof key === 'string' ? key : '-'}|${ipKeyGenerator(req.ip ?? '')}`;
    },
    handler: (_req, _res, next) => {
      next(new AppError('rate_limited', 'Too many page views; slow down'));
    },
  });
}
