import {
  BulkAssignBody,
  BulkStageBody,
  BulkTagsBody,
  CreateCustomerBody,
  CustomerIdParams,
  CustomerTagsBody,
  ExportCustomersQuery,
  ListAuditQuery,
  MergeCustomersBody,
  ListCustomersQuery,
  QueryCustomersBody,
  UpdateCustomerBody,
} from '@crm/contracts';
import { parse, principalOf, etagOf } from '@crm/service-kit';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { Router } from 'express';
import type { AuditTrail } from '../domain/audit/audit-trail.js';
import type { CustomerService } from '../domain/customers/customer-service.js';
import type { CustomerExport } from '../domain/export/export-customers.js';
import type { CustomerMerge } from '../domain/merge/merge-customers.js';

export function customerRoutes(
  service: CustomerService,
  audit: AuditTrail,
  merge: CustomerMerge,
  exporter: CustomerExport,
): Router {
  const router = Router();

  router.post('/crm/customers', async (req, res) => {
    const body = parse(CreateCustomerBody, req.body, 'body');
    const customer = await service.create(principalOf(req), body);
    res
      .status(201)
      .location(`/crm/customers/${customer.id}`)
      .set('ETag', etagOf(customer.version))
      .json(customer);
  });

  router.get('/crm/customers', async (req, res) => {
    const query = parse(ListCustomersQuery, req.query, 'query');
    res.json(await service.list(principalOf(req), query));
  });

  router.post('/crm/customers/query', async (req, res) => {
    const body = parse(QueryCustomersBody, req.body, 'body');
    res.json(await service.query(principalOf(req), body));
  });

  // Before /:id routes, so "bulk" is never read as a customer id.
  router.post('/crm/customers/bulk/tags', async (req, res) => {
    const body = parse(BulkTagsBody, req.body, 'body');
    res.json(await service.bulkTags(principalOf(req), body));
  });

  router.post('/crm/customers/bulk/stage', async (req, res) => {
    const body = parse(BulkStageBody, req.body, 'body');
    res.json(await service.bulkStage(principalOf(req), body));
  });

  router.post('/crm/customers/bulk/assign', async (req, res) => {
    const body = parse(BulkAssignBody, req.body, 'body');
    res.json(await service.bulkAssign(principalOf(req), body));
  });

  router.get('/crm/customers/export', async (req, res) => {
    const query = parse(ExportCustomersQuery, req.query, 'query');
    const rows = await exporter.start(principalOf(req), query);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="customers.csv"');
    await pipeline(Readable.from(rows), stringify({ escape_formulas: true }), res);
  });

  router.get('/crm/customers/:id', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const customer = await service.get(principalOf(req), id);
    res.set('ETag', etagOf(customer.version)).json(customer);
  });

  router.patch('/crm/customers/:id', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(UpdateCustomerBody, req.body, 'body');
    const customer = await service.update(principalOf(req), id, body, req.get('if-match'));
    res.set('ETag', etagOf(customer.version)).json(customer);
  });

  router.post('/crm/customers/:id/tags', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(CustomerTagsBody, req.body, 'body');
    const customer = await service.changeTags(principalOf(req), id, body, req.get('if-match'));
    res.set('ETag', etagOf(customer.version)).json(customer);
  });

  router.get('/crm/customers/:id/duplicates', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    res.json({ data: await merge.duplicates(principalOf(req), id), next_cursor: null });
  });

  router.post('/crm/customers/:id/merge', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(MergeCustomersBody, req.body, 'body');
    const survivor = await merge.merge(principalOf(req), id, body, req.get('if-match'));
    res.set('ETag', etagOf(survivor.version)).json(survivor);
  });

  router.get('/crm/customers/:id/audit', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const query = parse(ListAuditQuery, req.query, 'query');
    res.json(await audit.list(principalOf(req), id, query));
  });

  return router;
}
