import { Router } from 'express';
import type { InteractionsDeps } from '../service.js';
import { interactionRoutes } from './interactions.routes.js';
import { settingsRoutes } from './settings.routes.js';
import { timelineRoutes } from './timeline.routes.js';

export function routes(deps: InteractionsDeps): Router {
  const router = Router();
  router.use(timelineRoutes(deps.timeline));
  router.use(interactionRoutes(deps.log));
  router.use(settingsRoutes(deps.settings));
  return router;
}
