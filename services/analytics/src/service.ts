import type { ServiceDefinition } from '@crm/service-kit';
import { AnalyticsConfig } from './config.js';
import { analyticsSchema } from './db/schema.js';
import { migrationsFolder } from './db/migrations-folder.js';

/**
 * Boots with its schema, health, readiness, metrics, outbox relay and consumer queue;
 * its features arrive with their own issue (see README.md), so it serves no routes yet.
 */
export const analyticsService: ServiceDefinition<AnalyticsConfig, Record<string, never>> = {
  name: 'analytics',
  schema: analyticsSchema,
  config: AnalyticsConfig,
  defaultPort: 8087,
  migrationsFolder,
  build: () => ({}),
};
