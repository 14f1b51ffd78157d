import type { ServiceDefinition } from '@crm/service-kit';
import { NotesTasksConfig } from './config.js';
import { notesTasksSchema } from './db/schema.js';
import { migrationsFolder } from './db/migrations-folder.js';

/**
 * Boots with its schema, health, readiness, metrics, outbox relay and consumer queue;
 * its features arrive with their own issue (see README.md), so it serves no routes yet.
 * It already keeps the replica of customer assignments and takes part in merges and
 * erasures; each table its features add joins `customers.tables`.
 */
export const notesTasksService: ServiceDefinition<NotesTasksConfig, Record<string, never>> = {
  name: 'notes-tasks',
  schema: notesTasksSchema,
  config: NotesTasksConfig,
  defaultPort: 8083,
  migrationsFolder,
  customers: { replica: true, tables: [] },
  build: () => ({}),
};
