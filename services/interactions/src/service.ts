import type { Request, Response } from 'express';
import {
  INGEST_SIGNATURE_HEADER,
  INGEST_TENANT_HEADER,
  INGEST_TIMESTAMP_HEADER,
  interactionsRoutes as routes,
  type TimelineEntry,
  type TimelineExportQuery,
} from '@crm/contracts';
import {
  handle,
  reply,
  sendCsv,
  sendJsonArray,
  type STREAMED,
  type CustomerModule,
  type ServiceDefinition,
} from '@crm/service-kit';
import { InteractionsConfig } from './config.js';
import { BookingsRepository } from './db/bookings.repository.js';
import { EngagementRepository } from './db/engagement.repository.js';
import { InteractionsRepository } from './db/interactions.repository.js';
import { migrationsFolder } from './db/migrations-folder.js';
import {
  bookings,
  engagement,
  interactionAudit,
  interactions,
  interactionsSchema,
  pageViews,
  timelineEntries,
} from './db/schema.js';
import { SettingsRepository } from './db/settings.repository.js';
import { TimelineRepository } from './db/timeline.repository.js';
import type { InteractionsDeps } from './deps.js';
import { acceptIngest } from './domain/ingest/accept-ingest.js';
import { verifyIngest } from './domain/ingest/verify-ingest.js';
import { deleteInteraction } from './domain/interactions/delete-interaction.js';
import { getInteraction } from './domain/interactions/get-interaction.js';
import { listInteractions } from './domain/interactions/list-interactions.js';
import { logInteraction } from './domain/interactions/log-interaction.js';
import { updateInteraction } from './domain/interactions/update-interaction.js';
import { getTrackingSettings } from './domain/settings/get-tracking-settings.js';
import { rotateIngestSecret } from './domain/settings/rotate-ingest-secret.js';
import { updateTrackingSettings } from './domain/settings/update-tracking-settings.js';
import { exportTimeline } from './domain/timeline/export-timeline.js';
import { getEngagement } from './domain/timeline/get-engagement.js';
import { getTimeline } from './domain/timeline/get-timeline.js';
import { TIMELINE_CSV_COLUMNS, timelineCsvRow } from './domain/timeline/timeline-csv.js';
import { pageViewLimiter } from './domain/tracking/page-view-limiter.js';
import { trackPageView } from './domain/tracking/track-page-view.js';
import { handlers } from './events/index.js';

const engagementRepository = new EngagementRepository();

export const interactionsService: ServiceDefinition<InteractionsConfig, InteractionsDeps> = {
  name: 'interactions',
  schema: interactionsSchema,
  config: InteractionsConfig,
  defaultPort: 8082,
  migrationsFolder,
  // A batch of 500 BookingX events is about 600 KB of JSON.
  bodyLimit: '2mb',
  // What this service keeps about a customer: moved to the survivor on a merge, and on an
  // erasure deleted, except the audit of staff edits, which keeps who did what and when.
  customers: {
    replica: true,
    tables: [
      {
        table: interactions,
        tenantId: interactions.tenantId,
        customerId: interactions.customerId,
        erase: 'delete',
      },
      {
        table: bookings,
        tenantId: bookings.tenantId,
        customerId: bookings.customerId,
        erase: 'delete',
      },
      {
        table: timelineEntries,
        tenantId: timelineEntries.tenantId,
        customerId: timelineEntries.customerId,
        erase: 'delete',
      },
      {
        table: pageViews,
        tenantId: pageViews.tenantId,
        customerId: pageViews.customerId,
        erase: 'delete',
      },
      {
        table: engagement,
        tenantId: engagement.tenantId,
        customerId: engagement.customerId,
        erase: 'delete',
        merge: (db, tenantId, survivorId, merged) =>
          engagementRepository.fold(db, tenantId, survivorId, merged),
      },
      {
        table: interactionAudit,
        tenantId: interactionAudit.tenantId,
        customerId: interactionAudit.customerId,
        erase: { anonymise: [interactionAudit.before, interactionAudit.after] },
      },
    ],
  },
  build: ({ database, outbox, config, customers: declared }): InteractionsDeps => {
    const customers = requireCustomers(declared);
    const timeline = new TimelineRepository();
    return {
      db: database.db,
      outbox,
      repositories: {
        bookings: new BookingsRepository(),
        engagement: engagementRepository,
        interactions: new InteractionsRepository(),
        settings: new SettingsRepository({
          trackBookings: config.TRACK_BOOKINGS,
          trackEmails: config.TRACK_EMAILS,
          trackSms: config.TRACK_SMS,
          trackCalls: config.TRACK_CALLS,
          trackWebsiteVisits: config.TRACK_WEBSITE_VISITS,
        }),
        timeline,
      },
      customers,
      access: customers.access({
        knownLocally: (db, tenantId, customerId) => timeline.hasEntries(db, tenantId, customerId),
      }),
      clock: () => new Date(),
    };
  },
  routes: (deps, { config }) => [
    handle(routes.ingestBookingx, ({ caller, body }) => acceptIngest(deps, caller, body), {
      authenticate: (req: Request) =>
        verifyIngest(deps, {
          tenantId: req.get(INGEST_TENANT_HEADER),
          timestamp: req.get(INGEST_TIMESTAMP_HEADER),
          signature: req.get(INGEST_SIGNATURE_HEADER),
          rawBody: req.rawBody,
        }),
    }),
    handle(routes.trackPageView, ({ body }) => trackPageView(deps, body), {
      before: [pageViewLimiter(config.TRACK_RATE_LIMIT_PER_MINUTE)],
    }),
    handle(routes.getCustomerTimeline, ({ principal, params, query }) =>
      getTimeline(deps, principal, params.id, query),
    ),
    handle(routes.exportCustomerTimeline, async ({ principal, params, query, res }) =>
      sendTimeline(res, params.id, query, await exportTimeline(deps, principal, params.id, query)),
    ),
    handle(routes.getMyTimeline, ({ principal, query }) =>
      getTimeline(deps, principal, principal.sub, query),
    ),
    handle(routes.exportMyTimeline, async ({ principal, query, res }) =>
      sendTimeline(
        res,
        principal.sub,
        query,
        await exportTimeline(deps, principal, principal.sub, query),
      ),
    ),
    handle(routes.getCustomerEngagement, ({ principal, params }) =>
      getEngagement(deps, principal, params.id),
    ),
    handle(routes.listInteractions, ({ principal, params, query }) =>
      listInteractions(deps, principal, params.id, query),
    ),
    handle(routes.logInteraction, async ({ principal, params, body }) => {
      const created = await logInteraction(deps, principal, params.id, body);
      return reply(created, {
        location: `/crm/customers/${created.customer_id}/interactions/${created.id}`,
      });
    }),
    handle(routes.getInteraction, ({ principal, params }) =>
      getInteraction(deps, principal, params.id, params.interactionId),
    ),
    handle(routes.updateInteraction, ({ principal, params, body, headers }) =>
      updateInteraction(
        deps,
        principal,
        params.id,
        params.interactionId,
        body,
        headers['if-match'],
      ),
    ),
    handle(routes.deleteInteraction, ({ principal, params }) =>
      deleteInteraction(deps, principal, params.id, params.interactionId),
    ),
    handle(routes.getTrackingSettings, ({ principal }) => getTrackingSettings(deps, principal)),
    handle(routes.updateTrackingSettings, ({ principal, body }) =>
      updateTrackingSettings(deps, principal, body),
    ),
    handle(routes.rotateIngestSecret, async ({ principal }) =>
      reply(await rotateIngestSecret(deps, principal), {
        headers: { 'Cache-Control': 'no-store' },
      }),
    ),
  ],
  handlers: (deps) => handlers(deps),
};

/** Streams a customer's timeline export as the attachment the query asks for. */
function sendTimeline(
  res: Response,
  customerId: string,
  query: TimelineExportQuery,
  entries: AsyncIterable<TimelineEntry>,
): Promise<typeof STREAMED> {
  const filename = `timeline-${customerId}.${query.format}`;
  if (query.format === 'json') return sendJsonArray(res, entries, filename);
  return sendCsv(res, mapAsync(entries, timelineCsvRow), {
    filename,
    columns: TIMELINE_CSV_COLUMNS,
  });
}

async function* mapAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}

function requireCustomers(customers: CustomerModule | undefined): CustomerModule {
  if (!customers) throw new Error('interactions declares customers; the kit builds them');
  return customers;
}
