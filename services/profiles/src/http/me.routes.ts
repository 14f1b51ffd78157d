import { UpdateMeBody } from '@crm/contracts';
import { parse, principalOf, etagOf } from '@crm/service-kit';
import { Router } from 'express';
import type { CustomerService } from '../domain/customers/customer-service.js';
import { assertCustomer, refuseStaffOnlyFields, toMeDto } from '../domain/me/self-service.js';

export function meRoutes(customers: CustomerService): Router {
  const router = Router();

  router.get('/crm/me', async (req, res) => {
    const me = toMeDto(await customers.getSelf(principalOf(req)));
    res.set('ETag', etagOf(me.version)).json(me);
  });

  router.patch('/crm/me', async (req, res) => {
    const principal = principalOf(req);
    assertCustomer(principal);
    refuseStaffOnlyFields(req.body);
    const body = parse(UpdateMeBody, req.body, 'body');
    const me = toMeDto(await customers.updateSelf(principal, body, req.get('if-match')));
    res.set('ETag', etagOf(me.version)).json(me);
  });

  return router;
}
