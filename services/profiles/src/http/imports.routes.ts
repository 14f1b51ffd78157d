import {
  CreateImportQuery,
  IMPORT_CONTENT_TYPE,
  ImportIdParams,
  ListImportErrorsQuery,
  ListImportsQuery,
} from '@crm/contracts';
import { AppError, parse, principalOf } from '@crm/service-kit';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { Router } from 'express';
import type { CustomerImports } from '../domain/imports/customer-imports.js';

export function importRoutes(imports: CustomerImports): Router {
  const router = Router();

  router.post('/crm/customers/imports', async (req, res) => {
    const principal = principalOf(req);
    imports.assertRole(principal);
    const query = parse(CreateImportQuery, req.query, 'query');
    const body: unknown = req.body;
    if (!req.is(IMPORT_CONTENT_TYPE) || !Buffer.isBuffer(body)) {
      throw new AppError('unsupported_media_type', 'Send the file as text/csv');
    }
    const created = await imports.start(principal, query, body);
    res.status(202).location(`/crm/customers/imports/${created.id}`).json(created);
  });

  router.get('/crm/customers/imports', async (req, res) => {
    const query = parse(ListImportsQuery, req.query, 'query');
    res.json(await imports.list(principalOf(req), query));
  });

  router.get('/crm/customers/imports/:id', async (req, res) => {
    const { id } = parse(ImportIdParams, req.params, 'params');
    res.json(await imports.get(principalOf(req), id));
  });

  router.get('/crm/customers/imports/:id/errors', async (req, res) => {
    const { id } = parse(ImportIdParams, req.params, 'params');
    const query = parse(ListImportErrorsQuery, req.query, 'query');
    res.json(await imports.errors(principalOf(req), id, query));
  });

  router.get('/crm/customers/imports/:id/errors/export', async (req, res) => {
    const { id } = parse(ImportIdParams, req.params, 'params');
    const rows = await imports.errorRows(principalOf(req), id);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="import-${id}-errors.csv"`);
    await pipeline(Readable.from(rows), stringify({ escape_formulas: true }), res);
  });

  return router;
}
