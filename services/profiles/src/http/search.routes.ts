import { SearchCustomersQuery } from '@crm/contracts';
import { parse, principalOf } from '@crm/service-kit';
import { Router } from 'express';
import type { CustomerSearch } from '../domain/search/search-customers.js';

export function searchRoutes(search: CustomerSearch): Router {
  const router = Router();
  router.get('/crm/search', async (req, res) => {
    const query = parse(SearchCustomersQuery, req.query, 'query');
    res.json(await search.search(principalOf(req), query));
  });
  return router;
}
