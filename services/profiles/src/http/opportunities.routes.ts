import {
  CreateOpportunityBody,
  CustomerIdParams,
  ListOpportunitiesQuery,
  OpportunityIdParams,
  PutOpportunityStagesBody,
  UpdateOpportunityBody,
} from '@crm/contracts';
import { parse, principalOf, etagOf } from '@crm/service-kit';
import { Router } from 'express';
import type { Pipeline } from '../domain/opportunities/pipeline.js';

export function opportunityRoutes(pipeline: Pipeline): Router {
  const router = Router();

  router.get('/crm/customers/:id/opportunities', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const query = parse(ListOpportunitiesQuery, req.query, 'query');
    res.json(await pipeline.list(principalOf(req), query, id));
  });

  router.post('/crm/customers/:id/opportunities', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(CreateOpportunityBody, req.body, 'body');
    const opportunity = await pipeline.create(principalOf(req), id, body);
    res
      .status(201)
      .location(`/crm/opportunities/${opportunity.id}`)
      .set('ETag', etagOf(opportunity.version))
      .json(opportunity);
  });

  router.get('/crm/opportunities', async (req, res) => {
    const query = parse(ListOpportunitiesQuery, req.query, 'query');
    res.json(await pipeline.list(principalOf(req), query));
  });

  router.get('/crm/opportunities/:opportunity_id', async (req, res) => {
    const { opportunity_id } = parse(OpportunityIdParams, req.params, 'params');
    const opportunity = await pipeline.get(principalOf(req), opportunity_id);
    res.set('ETag', etagOf(opportunity.version)).json(opportunity);
  });

  router.patch('/crm/opportunities/:opportunity_id', async (req, res) => {
    const { opportunity_id } = parse(OpportunityIdParams, req.params, 'params');
    const body = parse(UpdateOpportunityBody, req.body, 'body');
    const opportunity = await pipeline.update(
      principalOf(req),
      opportunity_id,
      body,
      req.get('if-match'),
    );
    res.set('ETag', etagOf(opportunity.version)).json(opportunity);
  });

  router.get('/crm/opportunity-stages', async (req, res) => {
    const { version, ...stages } = await pipeline.stages(principalOf(req));
    res.set('ETag', etagOf(version)).json(stages);
  });

  router.put('/crm/opportunity-stages', async (req, res) => {
    const body = parse(PutOpportunityStagesBody, req.body, 'body');
    const { version, ...stages } = await pipeline.putStages(
      principalOf(req),
      body,
      req.get('if-match'),
    );
    res.set('ETag', etagOf(version)).json(stages);
  });

  return router;
}
