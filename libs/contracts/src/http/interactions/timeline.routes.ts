import { z } from 'zod';
import * as http from '../common.js';
import { CustomerIdParams } from '../profiles/customers.js';
import { TimelineEntry, TimelinePage, TimelineQuery } from './timeline.js';
import { TimelineExportQuery } from './interactions.js';

/** A timeline streamed whole, as CSV or a JSON array. */
const timelineExport = {
  description: 'The entries, as `text/csv` or `application/json` by `format`.',
  content: { 'text/csv': z.string(), 'application/json': z.array(TimelineEntry) },
  headers: z.object({ 'Content-Disposition': z.string() }),
};

export const timelineRoutes = {
  getCustomerTimeline: {
    id: 'getCustomerTimeline',
    method: 'get',
    path: '/crm/customers/{id}/timeline',
    service: 'interactions',
    summary: 'Customer timeline',
    description:
      'Everything that happened with a customer — bookings, payments, interactions, notes, tasks, messages — newest first.',
    tags: ['Timeline'],
    roles: http.STAFF,
    request: { params: CustomerIdParams, query: TimelineQuery },
    responses: {
      200: http.json('One page of timeline entries, newest first.', TimelinePage),
      ...http.guardedInput,
      404: http.customerNotFound,
    },
    auth: 'jwt',
  },
  exportCustomerTimeline: {
    id: 'exportCustomerTimeline',
    method: 'get',
    path: '/crm/customers/{id}/timeline/export',
    service: 'interactions',
    summary: 'Export a customer timeline',
    description:
      'The whole timeline the caller may see, newest first, streamed as CSV or a JSON array (`Content-Disposition: attachment`).',
    tags: ['Timeline'],
    roles: http.STAFF,
    request: { params: CustomerIdParams, query: TimelineExportQuery },
    responses: {
      200: timelineExport,
      ...http.guardedInput,
      404: http.customerNotFound,
    },
    auth: 'jwt',
  },
  getMyTimeline: {
    id: 'getMyTimeline',
    method: 'get',
    path: '/crm/me/timeline',
    service: 'interactions',
    summary: 'My timeline',
    description:
      'The signed-in customer’s own timeline, newest first: what the business shares with them (private notes and internal events are left out).',
    tags: ['Self-service'],
    roles: http.CUSTOMER,
    request: { query: TimelineQuery },
    responses: {
      200: http.json('One page of timeline entries, newest first.', TimelinePage),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
  exportMyTimeline: {
    id: 'exportMyTimeline',
    method: 'get',
    path: '/crm/me/timeline/export',
    service: 'interactions',
    summary: 'Export my timeline',
    description:
      'The signed-in customer’s own timeline as they see it, streamed as CSV or a JSON array (`Content-Disposition: attachment`).',
    tags: ['Self-service'],
    roles: http.CUSTOMER,
    request: { query: TimelineExportQuery },
    responses: {
      200: timelineExport,
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
