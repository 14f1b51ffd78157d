import { UpdateTrackingSettingsBody } from '@crm/contracts';
import { parse, principalOf } from '@crm/service-kit';
import { Router } from 'express';
import type { TrackingSettingsService } from '../domain/settings/tracking-settings.js';

export function settingsRoutes(settings: TrackingSettingsService): Router {
  const router = Router();
  router.get('/crm/interactions/settings', async (req, res) => {
    res.json(await settings.get(principalOf(req)));
  });
  router.patch('/crm/interactions/settings', async (req, res) => {
    const body = parse(UpdateTrackingSettingsBody, req.body, 'body');
    res.json(await settings.update(principalOf(req), body));
  });
  router.post('/crm/interactions/settings/ingest-secret', async (req, res) => {
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json(await settings.rotateIngestSecret(principalOf(req)));
  });
  return router;
}
