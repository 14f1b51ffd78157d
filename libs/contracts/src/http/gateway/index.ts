export * from './dev-token.js';
export * from './team.js';
import { devTokenRoutes } from './dev-token.routes.js';
import { teamRoutes } from './team.routes.js';

/** Every route the gateway serves itself rather than forwarding. */
export const gatewayRoutes = {
  ...teamRoutes,
  ...devTokenRoutes,
} as const;
