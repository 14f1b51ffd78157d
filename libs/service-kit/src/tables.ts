import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  primaryKey,
  text,
  timestamp,
  uuid,
  type PgSchema,
} from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The tables the kit keeps in every service's schema. A service's db/schema.ts spreads
 * them in, so drizzle-kit generates them into that service's migrations.
 */
export function kitTables(schema: PgSchema) {
  const outbox = schema.table(
    'outbox',
    {
      id: uuid('id').primaryKey(),
      seq: bigserial('seq', { mode: 'number' }).notNull(),
      exchange: text('exchange').notNull(),
      routingKey: text('routing_key').notNull(),
      tenantId: uuid('tenant_id'),
      envelope: jsonb('envelope').notNull(),
      createdAt: tstz('created_at').notNull().defaultNow(),
      availableAt: tstz('available_at').notNull().defaultNow(),
      attempts: integer('attempts').notNull().default(0),
      lastError: text('last_error'),
      sentAt: tstz('sent_at'),
    },
    (t) => [
      index('outbox_pending_idx')
        .on(t.seq)
        .where(sql`sent_at IS NULL`),
      index('outbox_sent_idx')
        .on(t.sentAt)
        .where(sql`sent_at IS NOT NULL`),
    ],
  );

  const inbox = schema.table(
    'inbox',
    {
      consumer: text('consumer').notNull(),
      eventId: text('event_id').notNull(),
      eventType: text('event_type').notNull(),
      processedAt: tstz('processed_at').notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
  );

  const deadLetters = schema.table(
    'dead_letters',
    {
      id: uuid('id').primaryKey(),
      queue: text('queue').notNull(),
      eventId: text('event_id').notNull(),
      eventType: text('event_type').notNull(),
      tenantId: uuid('tenant_id'),
      reason: text('reason').notNull(),
      deliveryCount: integer('delivery_count').notNull(),
      payload: jsonb('payload').notNull(),
      deadLetteredAt: tstz('dead_lettered_at').notNull().defaultNow(),
      replayedAt: tstz('replayed_at'),
    },
    (t) => [index('dead_letters_order_idx').on(t.deadLetteredAt, t.id)],
  );

  const idempotencyKeys = schema.table(
    'idempotency_keys',
    {
      tenantId: uuid('tenant_id').notNull(),
      key: text('key').notNull(),
      method: text('method').notNull(),
      path: text('path').notNull(),
      requestHash: text('request_hash').notNull(),
      status: integer('status').notNull(),
      headers: jsonb('headers').notNull(),
      body: text('body').notNull(),
      createdAt: tstz('created_at').notNull().defaultNow(),
    },
    (t) => [
      primaryKey({ columns: [t.tenantId, t.key] }),
      index('idempotency_keys_created_idx').on(t.createdAt),
    ],
  );

  return { outbox, inbox, deadLetters, idempotencyKeys };
}
export type KitTables = ReturnType<typeof kitTables>;
