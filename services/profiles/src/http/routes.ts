import { Router } from 'express';
import type { ProfilesDeps } from '../service.js';
import { customerRoutes } from './customers.routes.js';

export function routes(deps: ProfilesDeps): Router {
  const router = Router();
  router.use(customerRoutes(deps.customers));
  return router;
}
