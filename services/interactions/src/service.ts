import type { Request, Response } from 'express';
import {
  INGEST_SIGNATURE_HEADER,
  INGEST_TENANT_HEADER,
  INGEST_TIMESTAMP_HEADER,
  interactionsRoutes as routes,
  type TimelineExportQuery,
} from '@crm/contracts';
import {
  handle,
  reply,
  sendCsv,
  sendJsonArray,
  type Principal,
  type STREAMED,
  type CustomerModule,
  type ServiceDefinition,
} from '@crm/service-kit';
import { InteractionsConfig } from './config.js';
import { BookingsRepository } from './db/bookings.repository.js';
import { EngagementRepository } from './db/engagement.repository.js';
import { InteractionsRepository } from './db/interactions.repository.js';
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
import { BookingxIngest } from './domain/ingest/ingest-bookingx.js';
import { InteractionLog } from './domain/interactions/interaction-log.js';
import { Projector } from './domain/projection/projector.js';
import { TrackingSettingsService } from './domain/settings/tracking-settings.js';
import { TimelineReader } from './domain/timeline/get-timeline.js';
import { PageViewTracker } from './domain/tracking/track-page-view.js';
import { handlers } from './events/handlers.js';
import { TIMELINE_CSV_COLUMNS, timelineCsvRow } from './domain/timeline/timeline-csv.js';
import { pageViewLimiter } from './domain/tracking/page-view-limiter.js';
import { migrationsFolder } from './db/migrations-folder.js';

export interface InteractionsDeps {
  projector: Projector;
  timeline: TimelineReader;
  log: InteractionLog;
  settings: TrackingSettingsService;
  ingest: BookingxIngest;
  tracker: PageViewTracker;
}

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
  build: ({ database, outbox, config, customers }) => {
    const db = database.db;
    const kitCustomers = requireCustomers(customers);
    const timeline = new TimelineRepository();
    const aliases = kitCustomers.aliases;
    const settings = new SettingsRepository({
      trackBookings: config.TRACK_BOOKINGS,
      trackEmails: config.TRACK_EMAILS,
      trackSms: config.TRACK_SMS,
      trackCalls: config.TRACK_CALLS,
      trackWebsiteVisits: config.TRACK_WEBSITE_VISITS,
    });
    const access = kitCustomers.access({
      knownLocally: (db, tenantId, customerId) => timeline.hasEntries(db, tenantId, customerId),
    });
    return {
      projector: new Projector({
        bookings: new BookingsRepository(),
        timeline,
        aliases,
        engagement: engagementRepository,
        settings,
        outbox,
      }),
      timeline: new TimelineReader(db, timeline, access, engagementRepository),
      log: new InteractionLog(db, new InteractionsRepository(), timeline, settings, access, outbox),
      settings: new TrackingSettingsService(db, settings),
      ingest: new BookingxIngest(db, settings, outbox),
      tracker: new PageViewTracker(db, settings, aliases, timeline, engagementRepository, outbox),
    };
  },
  routes: (deps, { config }) => [
    handle(routes.ingestBookingx, ({ caller, body }) => deps.ingest.accept(caller, body), {
      authenticate: (req: Request) =>
        deps.ingest.verify({
          tenantId: req.get(INGEST_TENANT_HEADER),
          timestamp: req.get(INGEST_TIMESTAMP_HEADER),
          signature: req.get(INGEST_SIGNATURE_HEADER),
          rawBody: req.rawBody,
        }),
    }),
    handle(routes.trackPageView, ({ body }) => deps.tracker.track(body), {
      before: [pageViewLimiter(config.TRACK_RATE_LIMIT_PER_MINUTE)],
    }),
    handle(routes.getCustomerTimeline, ({ principal, params, query }) =>
      deps.timeline.get(principal, params.id, query),
    ),
    handle(routes.exportCustomerTimeline, ({ principal, params, query, res }) =>
      exportTimeline(deps, principal, params.id, query, res),
    ),
    handle(routes.getMyTimeline, ({ principal, query }) =>
      deps.timeline.get(principal, principal.sub, query),
    ),
    handle(routes.exportMyTimeline, ({ principal, query, res }) =>
      exportTimeline(deps, principal, principal.sub, query, res),
    ),
    handle(routes.getCustomerEngagement, ({ principal, params }) =>
      deps.timeline.engagementOf(principal, params.id),
    ),
    handle(routes.listInteractions, ({ principal, params, query }) =>
      deps.log.list(principal, params.id, query),
    ),
    handle(routes.logInteraction, async ({ principal, params, body }) => {
      const created = await deps.log.log(principal, params.id, body);
      return reply(created, {
        location: `/crm/customers/${created.customer_id}/interactions/${created.id}`,
      });
    }),
    handle(routes.getInteraction, ({ principal, params }) =>
      deps.log.get(principal, params.id, params.interactionId),
    ),
    handle(routes.updateInteraction, ({ principal, params, body, headers }) =>
      deps.log.update(principal, params.id, params.interactionId, body, headers['if-match']),
    ),
    handle(routes.deleteInteraction, ({ principal, params }) =>
      deps.log.delete(principal, params.id, params.interactionId),
    ),
    handle(routes.getTrackingSettings, ({ principal }) => deps.settings.get(principal)),
    handle(routes.updateTrackingSettings, ({ principal, body }) =>
      deps.settings.update(principal, body),
    ),
    handle(routes.rotateIngestSecret, async ({ principal }) =>
      reply(await deps.settings.rotateIngestSecret(principal), {
        headers: { 'Cache-Control': 'no-store' },
      }),
    ),
  ],
  handlers: (deps) => handlers(deps.projector),
};

async function exportTimeline(
  deps: InteractionsDeps,
  principal: Principal,
  customerId: string,
  query: TimelineExportQuery,
  res: Response,
): Promise<typeof STREAMED> {
  // Checked before the first byte, so a refusal is still a clean problem+json.
  await deps.timeline.assertVisible(principal, customerId);
  const entries = deps.timeline.export(principal, customerId, query);
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
