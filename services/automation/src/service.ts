import type { ServiceDefinition } from '@crm/service-kit';
import { AutomationConfig } from './config.js';
import { automationSchema } from './db/schema.js';
import { migrationsFolder } from './db/migrations-folder.js';

/**
 * Boots with its schema, health, readiness, metrics, outbox relay and consumer queue;
 * its features arrive with their own issue (see README.md), so it serves no routes yet.
 */
export const automationService: ServiceDefinition<AutomationConfig, Record<string, never>> = {
  name: 'automation',
  schema: automationSchema,
  config: AutomationConfig,
  defaultPort: 8086,
  migrationsFolder,
  build: () => ({}),
};
