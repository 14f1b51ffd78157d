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

/** Exact origins only, and no cookies: the API is called with bearer tokens. */
export function corsFor(origins: readonly string[]): RequestHandler {
  return cors({
    origin: [...origins],
    credentials: false,
    exposedHeaders: EXPOSED,
    maxAge: 600,
  });
}
