import type { ServiceDefinition } from '@crm/service-kit';
import { InteractionsConfig } from './config.js';
import { AliasesRepository } from './db/aliases.repository.js';
import { BookingsRepository } from './db/bookings.repository.js';
import { EngagementRepository } from './db/engagement.repository.js';
import { InteractionsRepository } from './db/interactions.repository.js';
import { interactionsSchema } from './db/schema.js';
import { SettingsRepository } from './db/settings.repository.js';
import { TimelineRepository } from './db/timeline.repository.js';
import { CustomerAccess } from './domain/access.js';
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

export const interactionsService: ServiceDefinition<InteractionsConfig, InteractionsDeps> = {
  name: 'interactions',
  schema: interactionsSchema,
  config: InteractionsConfig,
  defaultPort: 8082,
  migrationsFolder,
  // A batch of 500 BookingX events is about 600 KB of JSON.
  bodyLimit: '2mb',
  build: ({ database, outbox, config }) => {
    const db = database.db;
    const timeline = new TimelineRepository();
    const aliases = new AliasesRepository();
    const engagement = new EngagementRepository();
    const settings = new SettingsRepository({
      trackBookings: config.TRACK_BOOKINGS,
      trackEmails: config.TRACK_EMAILS,
      trackSms: config.TRACK_SMS,
      trackCalls: config.TRACK_CALLS,
      trackWebsiteVisits: config.TRACK_WEBSITE_VISITS,
    });
    const access = new CustomerAccess(aliases, timeline);
    return {
      projector: new Projector({
        bookings: new BookingsRepository(),
        timeline,
        aliases,
        engagement,
        settings,
        outbox,
      }),
      timeline: new TimelineReader(db, timeline, access, engagement),
      log: new InteractionLog(db, new InteractionsRepository(), timeline, settings, access, outbox),
      settings: new TrackingSettingsService(db, settings),
      ingest: new BookingxIngest(db, settings, outbox),
      tracker: new PageViewTracker(db, settings, aliases, timeline, engagement, outbox),
    };
  },
  routes,
  publicRoutes: (deps, kit) =>
    publicRoutes(deps.ingest, deps.tracker, kit.config.TRACK_RATE_LIMIT_PER_MINUTE),
  handlers: (deps) => handlers(deps.projector),
};
