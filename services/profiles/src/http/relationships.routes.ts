import {
  CreateHouseholdBody,
  CreateRelationshipBody,
  CustomerIdParams,
  HouseholdIdParams,
  RelationshipParams,
  UpdateHouseholdBody,
} from '@crm/contracts';
import { parse, principalOf, etagOf } from '@crm/service-kit';
import { Router } from 'express';
import type { Relationships } from '../domain/relationships/relationships.js';

export function relationshipRoutes(relationships: Relationships): Router {
  const router = Router();

  router.get('/crm/customers/:id/relationships', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    res.json(await relationships.list(principalOf(req), id));
  });

  router.post('/crm/customers/:id/relationships', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(CreateRelationshipBody, req.body, 'body');
    res.status(201).json(await relationships.create(principalOf(req), id, body));
  });

  router.delete('/crm/customers/:id/relationships/:relationship_id', async (req, res) => {
    const { id, relationship_id } = parse(RelationshipParams, req.params, 'params');
    await relationships.delete(principalOf(req), id, relationship_id);
    res.status(204).end();
  });

  router.post('/crm/households', async (req, res) => {
    const body = parse(CreateHouseholdBody, req.body, 'body');
    const household = await relationships.createHousehold(principalOf(req), body);
    res
      .status(201)
      .location(`/crm/households/${household.id}`)
      .set('ETag', etagOf(household.version))
      .json(household);
  });

  router.get('/crm/households/:household_id', async (req, res) => {
    const { household_id } = parse(HouseholdIdParams, req.params, 'params');
    const household = await relationships.getHousehold(principalOf(req), household_id);
    res.set('ETag', etagOf(household.version)).json(household);
  });

  router.patch('/crm/households/:household_id', async (req, res) => {
    const { household_id } = parse(HouseholdIdParams, req.params, 'params');
    const body = parse(UpdateHouseholdBody, req.body, 'body');
    const household = await relationships.updateHousehold(
      principalOf(req),
      household_id,
      body,
      req.get('if-match'),
    );
    res.set('ETag', etagOf(household.version)).json(household);
  });

  router.delete('/crm/households/:household_id', async (req, res) => {
    const { household_id } = parse(HouseholdIdParams, req.params, 'params');
    await relationships.deleteHousehold(principalOf(req), household_id, req.get('if-match'));
    res.status(204).end();
  });

  return router;
}
