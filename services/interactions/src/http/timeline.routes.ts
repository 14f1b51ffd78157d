import { CustomerIdParams, TimelineExportQuery, TimelineQuery } from '@crm/contracts';
import { parse, principalOf } from '@crm/service-kit';
import { stringify } from 'csv-stringify';
import { Router } from 'express';
import type { TimelineReader } from '../domain/timeline/get-timeline.js';

const CSV_COLUMNS = [
  'occurred_at',
  'kind',
  'type',
  'summary',
  'actor_type',
  'actor_id',
  'actor_name',
  'source_service',
  'source_object_type',
  'source_object_id',
  'icon',
  'id',
] as const;

export function timelineRoutes(timeline: TimelineReader): Router {
  const router = Router();

  router.get('/crm/customers/:id/timeline', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const query = parse(TimelineQuery, req.query, 'query');
    res.json(await timeline.get(principalOf(req), id, query));
  });

  router.get('/crm/customers/:id/timeline/export', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    const query = parse(TimelineExportQuery, req.query, 'query');
    const principal = principalOf(req);
    await timeline.assertVisible(principal, id);
    const entries = timeline.export(principal, id, query);
    res.attachment(`timeline-${id}.${query.format}`);
    if (query.format === 'json') {
      res.type('application/json');
      res.write('[');
      let first = true;
      for await (const entry of entries) {
        res.write(`${first ? '' : ','}\n${JSON.stringify(entry)}`);
        first = false;
      }
      res.end(first ? ']' : '\n]\n');
      return;
    }
    res.type('text/csv; charset=utf-8');
    const csv = stringify({ header: true, columns: [...CSV_COLUMNS] });
    csv.pipe(res);
    for await (const e of entries) {
      const row = {
        occurred_at: e.occurred_at,
        kind: e.kind,
        type: e.type,
        summary: e.summary,
        actor_type: e.actor.type,
        actor_id: e.actor.id ?? '',
        actor_name: e.actor.name ?? '',
        source_service: e.source.service,
        source_object_type: e.source.object_type,
        source_object_id: e.source.object_id,
        icon: e.icon,
        id: e.id,
      };
      if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
    }
    csv.end();
  });

  router.get('/crm/customers/:id/engagement', async (req, res) => {
    const { id } = parse(CustomerIdParams, req.params, 'params');
    res.json(await timeline.engagementOf(principalOf(req), id));
  });

  return router;
}
