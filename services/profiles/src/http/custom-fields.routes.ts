import {
  CreateCustomFieldBody,
  CustomFieldIdParams,
  ListCustomFieldsQuery,
  ReorderCustomFieldsBody,
  UpdateCustomFieldBody,
} from '@crm/contracts';
import { parse, principalOf, etagOf } from '@crm/service-kit';
import { Router } from 'express';
import type { CustomFieldDefinitions } from '../domain/custom-fields/custom-field-definitions.js';

export function customFieldRoutes(fields: CustomFieldDefinitions): Router {
  const router = Router();

  router.get('/crm/custom-fields', async (req, res) => {
    const query = parse(ListCustomFieldsQuery, req.query, 'query');
    const data = await fields.list(principalOf(req), query.include_inactive === 'true');
    res.json({ data, next_cursor: null });
  });

  router.post('/crm/custom-fields', async (req, res) => {
    const body = parse(CreateCustomFieldBody, req.body, 'body');
    const field = await fields.create(principalOf(req), body);
    res
      .status(201)
      .location(`/crm/custom-fields/${field.id}`)
      .set('ETag', etagOf(field.version))
      .json(field);
  });

  router.post('/crm/custom-fields/reorder', async (req, res) => {
    const body = parse(ReorderCustomFieldsBody, req.body, 'body');
    res.json({ data: await fields.reorder(principalOf(req), body), next_cursor: null });
  });

  router.get('/crm/custom-fields/:field_id', async (req, res) => {
    const { field_id } = parse(CustomFieldIdParams, req.params, 'params');
    const field = await fields.get(principalOf(req), field_id);
    res.set('ETag', etagOf(field.version)).json(field);
  });

  router.patch('/crm/custom-fields/:field_id', async (req, res) => {
    const { field_id } = parse(CustomFieldIdParams, req.params, 'params');
    const body = parse(UpdateCustomFieldBody, req.body, 'body');
    const field = await fields.update(principalOf(req), field_id, body, req.get('if-match'));
    res.set('ETag', etagOf(field.version)).json(field);
  });

  router.delete('/crm/custom-fields/:field_id', async (req, res) => {
    const { field_id } = parse(CustomFieldIdParams, req.params, 'params');
    await fields.delete(principalOf(req), field_id, req.get('if-match'));
    res.status(204).end();
  });

  return router;
}
