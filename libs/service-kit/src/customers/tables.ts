import {
  index,
  integer,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
  type PgSchema,
} from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The tables the kit keeps in the schema of a service that holds customer data (see
 * `ServiceDefinition.customers`): the replica of assignments, merged ids, finished erasures.
 * A service's db/schema.ts spreads them in, so drizzle-kit generates them into its migrations.
 */
export function customerTables(schema: PgSchema) {
  /**
   * Local replica of who looks after each customer, fed by crm.customer.* events, so access
   * checks need no call to profiles. `version` is the customer's and drops stale events.
   */
  const customerAccess = schema.table(
    'customer_access',
    {
      tenantId: uuid('tenant_id').notNull(),
      customerId: uuid('customer_id').notNull(),
      ownerId: varchar('owner_id', { length: 100 }),
      teamId: varchar('team_id', { length: 100 }),
      collaboratorIds: text('collaborator_ids').array().notNull().default([]),
      version: integer('version').notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.tenantId, t.customerId] }),
      index('customer_access_owner_idx').on(t.tenantId, t.ownerId),
    ],
  );

  /** Merged customer ids and their survivor, so late facts about a merged id land on it. */
  const customerAliases = schema.table(
    'customer_aliases',
    {
      tenantId: uuid('tenant_id').notNull(),
      mergedId: uuid('merged_id').notNull(),
      survivorId: uuid('survivor_id').notNull(),
      mergedAt: tstz('merged_at').notNull().defaultNow(),
    },
    (t) => [
      primaryKey({ columns: [t.tenantId, t.mergedId] }),
      index('customer_aliases_survivor_idx').on(t.tenantId, t.survivorId),
    ],
  );

  /** Customers whose erasure this service has carried out, and when. */
  const erasures = schema.table(
    'erasures',
    {
      tenantId: uuid('tenant_id').notNull(),
      customerId: uuid('customer_id').notNull(),
      erasedAt: tstz('erased_at').notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.customerId] })],
  );

  return { customerAccess, customerAliases, erasures };
}
export type CustomerTables = ReturnType<typeof customerTables>;
