import { kitTables } from '@crm/service-kit';
import { sql } from 'drizzle-orm';
import {
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
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('timeline_customer_idx').on(t.tenantId, t.customerId, t.occurredAt, t.id),
    uniqueIndex('timeline_source_event_idx').on(t.tenantId, t.sourceEventId),
  ],
);

/**
 * Local replica of who looks after each customer, fed by crm.customer.* events, so access
 * checks need no call to profiles. `version` drops stale events.
 */
export const customerAccess = interactionsSchema.table(
  'customer_access',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    ownerId: varchar('owner_id', { length: 100 }),
    teamId: varchar('team_id', { length: 100 }),
    version: integer('version').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    index('customer_access_owner_idx').on(t.tenantId, t.ownerId),
  ],
);
