import { PutLifecycleStagesBody } from '@crm/contracts';
import { parse, principalOf, etagOf } from '@crm/service-kit';
import { Router } from 'express';
import type { LifecycleStagesService } from '../domain/stages/lifecycle-stages.js';

export function stageRoutes(stages: LifecycleStagesService): Router {
  const router = Router();

  router.get('/crm/lifecycle-stages', async (req, res) => {
    const list = await stages.get(principalOf(req));
    res.set('ETag', etagOf(list.version)).json({ data: list.stages });
  });

  router.put('/crm/lifecycle-stages', async (req, res) => {
    const body = parse(PutLifecycleStagesBody, req.body, 'body');
    const list = await stages.put(principalOf(req), body, req.get('if-match'));
    res.set('ETag', etagOf(list.version)).json({ data: list.stages });
  });

  return router;
}
