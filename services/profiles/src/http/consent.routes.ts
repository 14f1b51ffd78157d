import {
  ConsentHistoryQuery,
  CustomerIdParams,
  RecordConsentBody,
  RecordMyConsentBody,
} from '@crm/contracts';
import { parse, principalOf } from '@crm/service-kit';
import { Router } from 'express';
import type { ConsentLedger } from '../domain/consent/consent-ledger.js';

export function consentRoutes(ledger: ConsentLedger): Router {
  const router = Router();

  router.get('/crm/customers/:id/consent', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    res.json(await ledger.state(principalOf(req), { customerId: id }));
  });

  router.post('/crm/customers/:id/consent', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(RecordConsentBody, req.body, 'body');
    res.status(201).json(await ledger.record(principalOf(req), { customerId: id }, body));
  });

  router.get('/crm/customers/:id/consent/history', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const query = parse(ConsentHistoryQuery, req.query, 'query');
    res.json(await ledger.history(principalOf(req), id, query));
  });

  router.get('/crm/me/consent', async (req, res) => {
    res.json(await ledger.state(principalOf(req), 'self'));
  });

  router.post('/crm/me/consent', async (req, res) => {
    const body = parse(RecordMyConsentBody, req.body, 'body');
    res
      .status(201)
      .json(await ledger.record(principalOf(req), 'self', { ...body, source: 'self_service' }));
  });

  return router;
}
