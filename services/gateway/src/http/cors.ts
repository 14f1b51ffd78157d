import { AppError } from '@crm/service-kit';
import cors from 'cors';
import type { RequestHandler } from 'express';

/** Headers a browser script may read from a cross-origin answer. */
const EXPOSED = [
  'ETag',
  'Location',
  'X-Request-Id',
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
];

/**
 * Exact origins only, and no cookies: the API is called with bearer tokens. A preflight
 * from any other origin is refused outright rather than answered 204 without grants.
 */
export function corsFor(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  const grant = cors({
    origin: [...origins],
    credentials: false,
    exposedHeaders: EXPOSED,
    maxAge: 600,
  });
  return (req, res, next) => {
    const origin = req.get('origin');
    const preflight = req.method === 'OPTIONS' && req.get('access-control-request-method');
    if (preflight && origin !== undefined && !allowed.has(origin)) {
      next(new AppError('forbidden', `The origin ${origin} may not call this API`));
      return;
    }
    grant(req, res, next);
  };
}
