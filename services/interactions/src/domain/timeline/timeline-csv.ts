import type { TimelineEntry } from '@crm/contracts';

export const TIMELINE_CSV_COLUMNS = [
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

/** One timeline entry as a flat CSV row. */
export function timelineCsvRow(
  e: TimelineEntry,
): Record<(typeof TIMELINE_CSV_COLUMNS)[number], string> {
  return {
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
}
