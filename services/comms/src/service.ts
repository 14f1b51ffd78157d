import type { ServiceDefinition } from '@crm/service-kit';
import { CommsConfig } from './config.js';
import { commsSchema } from './db/schema.js';
import { migrationsFolder } from './db/migrations-folder.js';

/**
 * Boots with its schema, health, readiness, metrics, outbox relay and consumer queue;
 * its features arrive with their own issue (see README.md), so it serves no routes yet.
 */
export const commsService: ServiceDefinition<CommsConfig, Record<string, never>> = {
  name: 'comms',
  schema: commsSchema,
  config: CommsConfig,
  defaultPort: 8084,
  migrationsFolder,
  build: () => ({}),
};
