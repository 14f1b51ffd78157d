export * from './ingest.js';
export * from './interactions.js';
export * from './timeline.js';
import { timelineRoutes } from './timeline.routes.js';
import { interactionLogRoutes } from './interactions.routes.js';
import { ingestRoutes } from './ingest.routes.js';

/** Every route the interactions service serves. */
export const interactionsRoutes = {
  ...timelineRoutes,
  ...interactionLogRoutes,
  ...ingestRoutes,
} as const;
