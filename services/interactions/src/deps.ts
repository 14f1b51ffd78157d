import type { CustomerAccess, CustomerModule, Db, Outbox } from '@crm/service-kit';
import type { BookingsRepository } from './db/bookings.repository.js';
import type { EngagementRepository } from './db/engagement.repository.js';
import type { InteractionsRepository } from './db/interactions.repository.js';
import type { SettingsRepository } from './db/settings.repository.js';
import type { TimelineRepository } from './db/timeline.repository.js';

export interface InteractionsRepositories {
  bookings: BookingsRepository;
  engagement: EngagementRepository;
  interactions: InteractionsRepository;
  /** Per-tenant tracking settings, falling back to the defaults from config. */
  settings: SettingsRepository;
  timeline: TimelineRepository;
}

/** What every use case and event handler of the service is given; built once in service.ts. */
export interface InteractionsDeps {
  db: Db;
  outbox: Outbox;
  repositories: InteractionsRepositories;
  /** The kit's customer modules: aliases of merged customers, the replica of assignments. */
  customers: CustomerModule;
  /** The check every route about one customer makes first; returns the survivor's id. */
  access: CustomerAccess;
  clock: () => Date;
}
