import { z } from 'zod';
import { InteractionType } from '../../events/crm.js';
import { Money } from '../../money.js';
import { PageQuery, pageOf } from '../../pagination.js';
import { TIMELINE_KINDS } from './timeline.js';

/** What staff log by hand; bookings, payments and purchases come from BookingX. */
export const LOGGABLE_INTERACTION_TYPES = [
  'call',
  'walk_in',
  'email',
  'sms',
  'chat',
  'social',
  'support_ticket',
] as const;
export const LoggableInteractionType = z.enum(LOGGABLE_INTERACTION_TYPES);

export const Direction = z.enum(['inbound', 'outbound', 'internal']);

export const Interaction = z
  .object({
    id: z.uuid(),
    customer_id: z.uuid(),
    interaction_type: InteractionType,
    interaction_source: z.string().describe('bookingx, crm (logged by staff), comms or website'),
    subject: z.string().nullable(),
    description: z.string().nullable(),
    booking_id: z.string().nullable(),
    staff_id: z.string().nullable(),
    direction: Direction.nullable(),
    duration_minutes: z.number().int().nullable(),
    outcome: z.string().nullable(),
    amount: Money.nullable(),
    metadata: z.record(z.string(), z.unknown()),
    interaction_date: z.iso.datetime(),
    created_by: z.string().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Interaction' });
export type Interaction = z.infer<typeof Interaction>;

const Metadata = z
  .record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 30, { message: 'At most 30 metadata keys' });

const InteractionFields = z.object({
  subject: z.string().trim().min(1).max(500),
  description: z.string().max(10_000),
  direction: Direction,
  duration_minutes: z.number().int().min(0).max(1440),
  outcome: z.string().trim().min(1).max(100),
  interaction_date: z.iso.datetime({ offset: true }),
  staff_id: z.string().min(1).max(100).describe('Who handled it; defaults to the caller'),
  metadata: Metadata,
});

export const LogInteractionBody = InteractionFields.partial()
  .extend({ interaction_type: LoggableInteractionType })
  .strict()
  .meta({ id: 'LogInteraction' });
export type LogInteractionBody = z.infer<typeof LogInteractionBody>;

export const UpdateInteractionBody = InteractionFields.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .meta({ id: 'UpdateInteraction' });
export type UpdateInteractionBody = z.infer<typeof UpdateInteractionBody>;

const typeList = z
  .string()
  .regex(/^[a-z_]+(,[a-z_]+)*$/)
  .refine((v) => v.split(',').every((t) => InteractionType.safeParse(t).success), {
    message: 'Unknown interaction type',
  })
  .describe('Comma-separated interaction types');

export const ListInteractionsQuery = PageQuery.extend({
  type: typeList.optional(),
  staff_id: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
}).strict();
export type ListInteractionsQuery = z.infer<typeof ListInteractionsQuery>;

export const InteractionPage = pageOf(Interaction).meta({ id: 'InteractionPage' });

export const InteractionParams = z.object({ id: z.uuid(), interactionId: z.uuid() });

const kindList = z
  .string()
  .regex(new RegExp(`^(${TIMELINE_KINDS.join('|')})(,(${TIMELINE_KINDS.join('|')}))*$`))
  .describe('Comma-separated kinds to include');

export const TimelineExportQuery = z
  .object({
    format: z.enum(['csv', 'json']).default('json'),
    kind: kindList.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type TimelineExportQuery = z.infer<typeof TimelineExportQuery>;

export const Engagement = z
  .object({
    customer_id: z.uuid(),
    email_opens: z.number().int(),
    email_clicks: z.number().int(),
    replies: z.number().int(),
    website_visits: z.number().int(),
    bookings: z.number().int(),
    completed_bookings: z.number().int(),
    no_shows: z.number().int(),
    last_engaged_at: z.iso.datetime().nullable(),
    updated_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Engagement' });
export type Engagement = z.infer<typeof Engagement>;

/** Which kinds of interaction the tenant records (the spec's tracking settings). */
const trackingSwitches = {
  track_bookings: z.boolean(),
  track_emails: z.boolean(),
  track_sms: z.boolean(),
  track_calls: z.boolean(),
  track_website_visits: z.boolean(),
};

/** The spec's tracking settings, per tenant. */
export const TrackingSettings = z
  .object({
    ...trackingSwitches,
    tracking_key: z.string().describe('Public key the booking site sends with page views'),
    ingest_secret_set: z.boolean().describe('Whether a signing secret for the HTTP ingest exists'),
    updated_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'TrackingSettings' });
export type TrackingSettings = z.infer<typeof TrackingSettings>;

export const UpdateTrackingSettingsBody = z
  .object(trackingSwitches)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one setting to change' })
  .meta({ id: 'UpdateTrackingSettings' });
export type UpdateTrackingSettingsBody = z.infer<typeof UpdateTrackingSettingsBody>;

export const IngestCredentials = z
  .object({
    tenant_id: z.uuid(),
    ingest_secret: z
      .string()
      .describe('Shown once: signs POST /crm/ingest/bookingx and identity tokens for /crm/track'),
    tracking_key: z.string(),
  })
  .meta({ id: 'IngestCredentials' });
export type IngestCredentials = z.infer<typeof IngestCredentials>;

export const TrackBody = z
  .object({
    key: z.string().min(8).max(100).describe("The tenant's public tracking key"),
    visitor_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/)
      .describe('First-party cookie id of the browser'),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    referrer: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    title: z.string().max(300).optional(),
    occurred_at: z.iso.datetime({ offset: true }).optional(),
    identity: z
      .string()
      .max(2000)
      .optional()
      .describe(
        'HS256 JWT signed with the ingest secret: sub = BookingX customer id, consent = true when the visitor agreed to tracking',
      ),
  })
  .strict()
  .meta({ id: 'TrackPageView' });
export type TrackBody = z.infer<typeof TrackBody>;

export const TrackResult = z
  .object({ recorded: z.enum(['anonymous', 'customer']) })
  .meta({ id: 'TrackResult' });
