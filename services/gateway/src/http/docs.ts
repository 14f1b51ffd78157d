import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';

export const OPENAPI_PATH = '/crm/openapi.json';
export const DOCS_PATH = '/crm/docs';

/** The API reference, readable without a token: the document and a page that renders it. */
export function docsRouter(openapi: object): Router {
  const body = JSON.stringify(openapi);
  const options = { swaggerUrl: OPENAPI_PATH, customSiteTitle: 'Enhanced CRM API' };
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.type('application/json').send(body);
  });
  router.use(
    DOCS_PATH,
    swaggerUi.serveFiles(undefined, options),
    swaggerUi.setup(undefined, options),
  );
  return router;
}
