import { boolean, integer, primaryKey, uuid, varchar, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The replica of the gateway's staff directory a service keeps when it checks assignments
 * (see `ServiceDefinition.members`): who is an active member, at which version. A service's
 * db/schema.ts spreads it in, so drizzle-kit generates it into its migrations.
 */
export function memberTables(schema: PgSchema) {
  const teamMembers = schema.table(
    'team_members',
    {
      tenantId: uuid('tenant_id').notNull(),
      memberId: varchar('member_id', { length: 255 }).notNull(),
      active: boolean('active').notNull(),
      version: integer('version').notNull(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.memberId] })],
  );
  return { teamMembers };
}
export type MemberTables = ReturnType<typeof memberTables>;
