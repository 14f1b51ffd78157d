import { CustomerIdParams, UploadPictureBody } from '@crm/contracts';
import { parse, principalOf, etagOf } from '@crm/service-kit';
import { Router } from 'express';
import type { ProfilePictures } from '../domain/pictures/profile-pictures.js';

export function pictureRoutes(pictures: ProfilePictures): Router {
  const router = Router();

  router.put('/crm/customers/:id/picture', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const body = parse(UploadPictureBody, req.body, 'body');
    const customer = await pictures.upload(principalOf(req), id, body, req.get('if-match'));
    res.set('ETag', etagOf(customer.version)).json(customer);
  });

  router.get('/crm/customers/:id/picture', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const picture = await pictures.get(principalOf(req), id);
    res
      .set('ETag', `"${picture.sha256}"`)
      .set('Cache-Control', 'private, max-age=300')
      .set('X-Content-Type-Options', 'nosniff')
      .type(picture.contentType)
      .send(picture.content);
  });

  router.delete('/crm/customers/:id/picture', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    await pictures.remove(principalOf(req), id, req.get('if-match'));
    res.status(204).end();
  });

  return router;
}
