export * from './dev-token.js';
export * from './settings.js';
export * from './team.js';
import { devTokenRoutes } from './dev-token.routes.js';
import { settingsRoutes } from './settings.routes.js';
import { teamRoutes } from './team.routes.js';

/** Every route the gateway serves itself rather than forwarding. */
export const gatewayRoutes = {
  ...teamRoutes,
  ...settingsRoutes,
  ...devTokenRoutes,
} as const;
