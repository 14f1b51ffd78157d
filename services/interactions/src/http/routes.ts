import { CustomerIdParams, TimelineQuery } from '@crm/contracts';
import { parse, principalOf } from '@crm/service-kit';
import { Router } from 'express';
import type { InteractionsDeps } from '../service.js';

export function routes(deps: InteractionsDeps): Router {
  const router = Router();
  router.get('/crm/customers/:id/timeline', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const query = parse(TimelineQuery, req.query, 'query');
    res.json(await deps.timeline.get(principalOf(req), id, query));
  });
  return router;
}
