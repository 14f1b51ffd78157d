import { customerTables, kitTables } from '@crm/service-kit';
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const interactionsSchema = pgSchema('interactions');
export const { outbox, inbox, deadLetters, idempotencyKeys } = kitTables(interactionsSchema);
/** The replica of assignments (customer_access), merged ids and finished erasures. */
export const { customerAccess, customerAliases, erasures } = customerTables(interactionsSchema);

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The spec's bkx_crm_interactions, keyed by tenant; one row per touchpoint. */
export const interactions = interactionsSchema.table(
  'interactions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    interactionType: varchar('interaction_type', { length: 50 }).notNull(),
    interactionSource: varchar('interaction_source', { length: 50 }),
    subject: varchar('subject', { length: 500 }),
    description: text('description'),
    bookingId: varchar('booking_id', { length: 100 }),
    staffId: varchar('staff_id', { length: 100 }),
    direction: varchar('direction', { length: 20 }),
    durationMinutes: integer('duration_minutes'),
    outcome: varchar('outcome', { length: 100 }),
    amountMinor: integer('amount_minor'),
    currency: varchar('currency', { length: 3 }),
    metadata: jsonb('metadata').notNull().default({}),
    interactionDate: tstz('interaction_date').notNull(),
    createdBy: varchar('created_by', { length: 100 }),
    sourceEventId: text('source_event_id'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('interactions_customer_idx').on(t.tenantId, t.customerId, t.interactionDate),
    index('interactions_type_idx').on(t.tenantId, t.interactionType),
    index('interactions_staff_idx').on(t.tenantId, t.staffId),
    uniqueIndex('interactions_source_event_idx')
      .on(t.tenantId, t.sourceEventId)
      .where(sql`source_event_id IS NOT NULL`),
  ],
);

/** One row per BookingX booking with its current state; stale revisions never overwrite. */
export const bookings = interactionsSchema.table(
  'bookings',
  {
    tenantId: uuid('tenant_id').notNull(),
    bookingxId: varchar('bookingx_id', { length: 100 }).notNull(),
    customerId: uuid('customer_id').notNull(),
    status: varchar('status', { length: 20 }).notNull(),
    revision: integer('revision').notNull(),
    serviceName: varchar('service_name', { length: 200 }).notNull(),
    staffName: varchar('staff_name', { length: 200 }).notNull(),
    startAt: tstz('start_at').notNull(),
    endAt: tstz('end_at').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: varchar('currency', { length: 3 }).notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.bookingxId] }),
    index('bookings_customer_idx').on(t.tenantId, t.customerId, t.startAt),
  ],
);

/** The timeline projection: what happened to a customer, newest first. */
export const timelineEntries = interactionsSchema.table(
  'timeline_entries',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: varchar('kind', { length: 20 }).notNull(),
    type: varchar('type', { length: 100 }).notNull(),
    occurredAt: tstz('occurred_at').notNull(),
    actorType: varchar('actor_type', { length: 20 }).notNull(),
    actorId: varchar('actor_id', { length: 100 }),
    actorName: varchar('actor_name', { length: 200 }),
    summary: text('summary').notNull(),
    icon: varchar('icon', { length: 50 }).notNull(),
    sourceService: varchar('source_service', { length: 50 }).notNull(),
    objectType: varchar('object_type', { length: 50 }).notNull(),
    objectId: varchar('object_id', { length: 100 }).notNull(),
    data: jsonb('data').notNull().default({}),
    sourceEventId: text('source_event_id').notNull(),
    /** `all`, or `staff` for what a customer may not see (private notes, internal events). */
    visibility: varchar('visibility', { length: 10 }).notNull().default('all'),
    /** For entries that mirror one object (a note): the version shown, so older never wins. */
    objectVersion: integer('object_version'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('timeline_customer_idx').on(t.tenantId, t.customerId, t.occurredAt, t.id),
    uniqueIndex('timeline_source_event_idx').on(t.tenantId, t.sourceEventId),
    index('timeline_object_idx').on(t.tenantId, t.objectType, t.objectId),
    // Entries that mirror one object exist once per object, however concurrently they arrive.
    uniqueIndex('timeline_object_entry_idx')
      .on(t.tenantId, t.objectType, t.objectId)
      .where(sql`object_version IS NOT NULL`),
  ],
);

/** Who changed a staff-logged interaction, when and how; rows are only ever added. */
export const interactionAudit = interactionsSchema.table(
  'interaction_audit',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    interactionId: uuid('interaction_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    action: varchar('action', { length: 10 }).notNull(),
    actorId: varchar('actor_id', { length: 100 }).notNull(),
    actorRole: varchar('actor_role', { length: 20 }).notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('interaction_audit_interaction_idx').on(t.tenantId, t.interactionId, t.at),
  ],
);

/** The spec's tracking settings per tenant, with the keys of the HTTP ingest and beacon. */
export const trackingSettings = interactionsSchema.table(
  'tracking_settings',
  {
    tenantId: uuid('tenant_id').primaryKey(),
    trackBookings: boolean('track_bookings').notNull(),
    trackEmails: boolean('track_emails').notNull(),
    trackSms: boolean('track_sms').notNull(),
    trackCalls: boolean('track_calls').notNull(),
    trackWebsiteVisits: boolean('track_website_visits').notNull(),
    trackingKey: varchar('tracking_key', { length: 100 }).notNull(),
    ingestSecret: varchar('ingest_secret', { length: 200 }),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tracking_settings_key_idx').on(t.trackingKey)],
);

/** Event ids received over the HTTP ingest: each is accepted once. */
export const ingestedEvents = interactionsSchema.table(
  'ingested_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.eventId] })],
);

/** Page views from the booking site; `customer_id` only with identity and consent. */
export const pageViews = interactionsSchema.table(
  'page_views',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    visitorId: varchar('visitor_id', { length: 64 }).notNull(),
    customerId: uuid('customer_id'),
    url: text('url').notNull(),
    referrer: text('referrer'),
    title: varchar('title', { length: 300 }),
    occurredAt: tstz('occurred_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('page_views_visitor_idx').on(t.tenantId, t.visitorId, t.occurredAt),
    index('page_views_customer_idx').on(t.tenantId, t.customerId, t.occurredAt),
  ],
);

/** Per-customer engagement signals, which analytics scores. */
export const engagement = interactionsSchema.table(
  'engagement',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    emailOpens: integer('email_opens').notNull().default(0),
    emailClicks: integer('email_clicks').notNull().default(0),
    replies: integer('replies').notNull().default(0),
    websiteVisits: integer('website_visits').notNull().default(0),
    bookings: integer('bookings').notNull().default(0),
    completedBookings: integer('completed_bookings').notNull().default(0),
    noShows: integer('no_shows').notNull().default(0),
    lastEngagedAt: tstz('last_engaged_at'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId] })],
);
