import { Router } from 'express';
import type { ProfilesDeps } from '../service.js';
import { consentRoutes } from './consent.routes.js';
import { customFieldRoutes } from './custom-fields.routes.js';
import { customerRoutes } from './customers.routes.js';
import { importRoutes } from './imports.routes.js';
import { meRoutes } from './me.routes.js';
import { opportunityRoutes } from './opportunities.routes.js';
import { pictureRoutes } from './pictures.routes.js';
import { erasureRoutes } from './erasure.routes.js';
import { relationshipRoutes } from './relationships.routes.js';
import { searchRoutes } from './search.routes.js';
import { stageRoutes } from './stages.routes.js';
import { tagRoutes } from './tags.routes.js';

export function routes(deps: ProfilesDeps): Router {
  const router = Router();
  // Before /crm/customers/:id, which would read "imports" as a customer id.
  router.use(importRoutes(deps.imports));
  router.use(customerRoutes(deps.customers, deps.audit, deps.merge, deps.exporter));
  router.use(tagRoutes(deps.tags));
  router.use(stageRoutes(deps.stages));
  router.use(customFieldRoutes(deps.customFields));
  router.use(consentRoutes(deps.consent));
  router.use(meRoutes(deps.customers));
  router.use(searchRoutes(deps.search));
  router.use(relationshipRoutes(deps.relationships));
  router.use(opportunityRoutes(deps.pipeline));
  router.use(pictureRoutes(deps.pictures));
  router.use(erasureRoutes(deps.eraser));
  return router;
}
