import {
  INGEST_SIGNATURE_HEADER,
  INGEST_TENANT_HEADER,
  INGEST_TIMESTAMP_HEADER,
  TrackBody,
} from '@crm/contracts';
import { AppError, parse } from '@crm/service-kit';
import { Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { BookingxIngest } from '../domain/ingest/ingest-bookingx.js';
import type { PageViewTracker } from '../domain/tracking/track-page-view.js';

/** Routes whose callers prove themselves without a JWT: a signature, a public key. */
export function publicRoutes(
  ingest: BookingxIngest,
  tracker: PageViewTracker,
  trackLimitPerMinute: number,
): Router {
  const router = Router();

  router.post('/crm/ingest/bookingx', async (req, res) => {
    const result = await ingest.ingest({
      tenantId: req.get(INGEST_TENANT_HEADER),
      timestamp: req.get(INGEST_TIMESTAMP_HEADER),
      signature: req.get(INGEST_SIGNATURE_HEADER),
      rawBody: req.rawBody,
      body: req.body,
    });
    res.status(202).json(result);
  });

  const limiter = rateLimit({
    windowMs: 60_000,
    limit: trackLimitPerMinute,
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

  router.post('/crm/track', limiter, async (req, res) => {
    const body = parse(TrackBody, req.body, 'body');
    res.status(202).json(await tracker.track(body));
  });

  return router;
}
