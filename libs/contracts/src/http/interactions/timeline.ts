import { z } from 'zod';
import { PageQuery, pageOf } from '../../pagination.js';

export const TIMELINE_KINDS = [
  'customer',
  'booking',
  'payment',
  'purchase',
  'interaction',
  'visit',
  'note',
  'task',
  'message',
  'segment',
  'workflow',
] as const;
export const TimelineKind = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TimelineEntry = z
  .object({
    id: z.uuid(),
    customer_id: z.uuid(),
    kind: TimelineKind,
    type: z
      .string()
      .describe('The event type behind the entry, e.g. bookingx.booking.completed.v1'),
    occurred_at: z.iso.datetime(),
    actor: z.object({
      type: z.enum(['customer', 'staff', 'system', 'bookingx']),
      id: z.string().nullable(),
      name: z.string().nullable(),
    }),
    summary: z.string(),
    icon: z.string().describe('Icon key for the UI, e.g. calendar-check'),
    source: z.object({
      service: z.string(),
      object_type: z.string(),
      object_id: z.string(),
    }),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

const kindList = z
  .string()
  .regex(new RegExp(`^(${TIMELINE_KINDS.join('|')})(,(${TIMELINE_KINDS.join('|')}))*$`))
  .describe('Comma-separated kinds to include');

export const TimelineQuery = PageQuery.extend({
  kind: kindList.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
}).strict();
export type TimelineQuery = z.infer<typeof TimelineQuery>;

export const TimelinePage = pageOf(TimelineEntry).meta({ id: 'TimelinePage' });
