export * from './admin.js';
import { deadLettersRoutes } from './dead-letters.routes.js';
export { DeadLetterListParams, DeadLetterParams } from './dead-letters.routes.js';

/** Routes every backend service serves for itself, addressed by `{service}` in the path. */
export const adminRoutes = {
  ...deadLettersRoutes,
} as const;
