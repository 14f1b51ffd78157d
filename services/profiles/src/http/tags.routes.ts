import { CreateTagBody, ListTagsQuery, TagIdParams, UpdateTagBody } from '@crm/contracts';
import { parse, principalOf, etagOf } from '@crm/service-kit';
import { Router } from 'express';
import type { TagCatalog } from '../domain/tags/tag-catalog.js';

export function tagRoutes(catalog: TagCatalog): Router {
  const router = Router();

  router.get('/crm/tags', async (req, res) => {
    const query = parse(ListTagsQuery, req.query, 'query');
    res.json(await catalog.list(principalOf(req), query));
  });

  router.post('/crm/tags', async (req, res) => {
    const body = parse(CreateTagBody, req.body, 'body');
    const tag = await catalog.create(principalOf(req), body);
    res.status(201).location(`/crm/tags/${tag.id}`).set('ETag', etagOf(tag.version)).json(tag);
  });

  router.get('/crm/tags/:tag_id', async (req, res) => {
    const { tag_id } = parse(TagIdParams, req.params, 'params');
    const tag = await catalog.get(principalOf(req), tag_id);
    res.set('ETag', etagOf(tag.version)).json(tag);
  });

  router.patch('/crm/tags/:tag_id', async (req, res) => {
    const { tag_id } = parse(TagIdParams, req.params, 'params');
    const body = parse(UpdateTagBody, req.body, 'body');
    const tag = await catalog.update(principalOf(req), tag_id, body, req.get('if-match'));
    res.set('ETag', etagOf(tag.version)).json(tag);
  });

  router.delete('/crm/tags/:tag_id', async (req, res) => {
    const { tag_id } = parse(TagIdParams, req.params, 'params');
    await catalog.delete(principalOf(req), tag_id, req.get('if-match'));
    res.status(204).end();
  });

  return router;
}
