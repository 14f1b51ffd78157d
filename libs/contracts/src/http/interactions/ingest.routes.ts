import { z } from 'zod';
import * as http from '../common.js';
import { IngestBatch, IngestResult } from './ingest.js';
import { TrackBody, TrackResult } from './interactions.js';

export const ingestRoutes = {
  ingestBookingx: {
    id: 'ingestBookingx',
    method: 'post',
    path: '/crm/ingest/bookingx',
    service: 'interactions',
    summary: 'BookingX events over HTTP',
    description:
      'For BookingX sites without a broker: up to 500 CloudEvents per request, signed with the tenant’s ingest secret — header `X-BookingX-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, `X-BookingX-Timestamp` (Unix seconds, at most five minutes off) and `X-BookingX-Tenant`. Each event id is accepted once; the batch is refused whole if one event is invalid.',
    tags: ['Ingest'],
    roles: [],
    request: {
      body: IngestBatch,
      headers: z.object({
        'x-bookingx-tenant': z.uuid(),
        'x-bookingx-timestamp': z.string().regex(/^\d+$/),
        'x-bookingx-signature': z.string().max(1000),
      }),
    },
    responses: {
      202: http.json('Accepted; the events are published to the bus.', IngestResult),
      401: http.problem(
        'Missing or wrong signature, unknown tenant, or a timestamp more than five minutes off.',
      ),
      413: http.problem('More than the body limit.'),
      422: http.invalid,
    },
    auth: 'signature',
  },
  trackPageView: {
    id: 'trackPageView',
    method: 'post',
    path: '/crm/track',
    service: 'interactions',
    summary: 'Record a page view',
    description:
      'Called by the booking site with its public tracking key. A view is tied to a customer only with a valid identity token carrying `consent: true`; otherwise it stays anonymous. Rate-limited per key and address.',
    tags: ['Ingest'],
    roles: [],
    request: { body: TrackBody },
    responses: {
      202: http.json('Recorded.', TrackResult),
      401: http.problem('Unknown tracking key (code `unauthenticated`).'),
      403: http.problem('The tenant does not track website visits (code `forbidden`).'),
      422: http.invalid,
      429: http.problem('Too many page views from this address (code `rate_limited`).'),
    },
    auth: 'tracking_key',
  },
} as const satisfies Record<string, http.RouteDefinition>;
