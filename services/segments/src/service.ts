import type { ServiceDefinition } from '@crm/service-kit';
import { SegmentsConfig } from './config.js';
import { segmentsSchema } from './db/schema.js';
import { migrationsFolder } from './db/migrations-folder.js';

/**
 * Boots with its schema, health, readiness, metrics, outbox relay and consumer queue;
 * its features arrive with their own issue (see README.md), so it serves no routes yet.
 */
export const segmentsService: ServiceDefinition<SegmentsConfig, Record<string, never>> = {
  name: 'segments',
  schema: segmentsSchema,
  config: SegmentsConfig,
  defaultPort: 8085,
  migrationsFolder,
  build: () => ({}),
};
