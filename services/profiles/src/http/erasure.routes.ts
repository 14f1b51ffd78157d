import { CustomerIdParams, EraseCustomerBody } from '@crm/contracts';
import { parse, principalOf } from '@crm/service-kit';
import { Router } from 'express';
import type { CustomerEraser } from '../domain/privacy/erase-customer.js';

export function erasureRoutes(eraser: CustomerEraser): Router {
  const router = Router();
  router.post('/crm/customers/:id/erase', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(EraseCustomerBody, req.body, 'body');
    res.json(await eraser.erase(principalOf(req), id, body));
  });
  return router;
}
