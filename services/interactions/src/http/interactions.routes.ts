import {
  CustomerIdParams,
  InteractionParams,
  ListInteractionsQuery,
  LogInteractionBody,
  UpdateInteractionBody,
} from '@crm/contracts';
import { etagOf, parse, principalOf } from '@crm/service-kit';
import { Router } from 'express';
import type { InteractionLog } from '../domain/interactions/interaction-log.js';

export function interactionRoutes(log: InteractionLog): Router {
  const router = Router();

  router.get('/crm/customers/:id/interactions', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const query = parse(ListInteractionsQuery, req.query, 'query');
    res.json(await log.list(principalOf(req), id, query));
  });

  router.post('/crm/customers/:id/interactions', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(LogInteractionBody, req.body, 'body');
    const created = await log.log(principalOf(req), id, body);
    res
      .status(201)
      .location(`/crm/customers/${created.customer_id}/interactions/${created.id}`)
      .set('ETag', etagOf(created.version))
      .json(created);
  });

  router.get('/crm/customers/:id/interactions/:interactionId', async (req, res) => {
    const { id, interactionId } = parse(InteractionParams, req.params, 'params');
    const found = await log.get(principalOf(req), id, interactionId);
    res.set('ETag', etagOf(found.version)).json(found);
  });

  router.patch('/crm/customers/:id/interactions/:interactionId', async (req, res) => {
    const { id, interactionId } = parse(InteractionParams, req.params, 'params');
    const body = parse(UpdateInteractionBody, req.body, 'body');
    const updated = await log.update(
      principalOf(req),
      id,
      interactionId,
      body,
      req.get('if-match'),
    );
    res.set('ETag', etagOf(updated.version)).json(updated);
  });

  router.delete('/crm/customers/:id/interactions/:interactionId', async (req, res) => {
    const { id, interactionId } = parse(InteractionParams, req.params, 'params');
    await log.delete(principalOf(req), id, interactionId);
    res.status(204).end();
  });

  return router;
}
