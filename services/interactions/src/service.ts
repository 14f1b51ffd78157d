import type { CustomerModule, ServiceDefinition } from '@crm/service-kit';
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
import { publicRoutes } from './http/public.routes.js';
import { routes } from './http/routes.js';
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
  routes,
  publicRoutes: (deps, kit) =>
    publicRoutes(deps.ingest, deps.tracker, kit.config.TRACK_RATE_LIMIT_PER_MINUTE),
  handlers: (deps) => handlers(deps.projector),
};

function requireCustomers(customers: CustomerModule | undefined): CustomerModule {
  if (!customers) throw new Error('interactions declares customers; the kit builds them');
  return customers;
}
