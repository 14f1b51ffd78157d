import { kitTables } from '@crm/service-kit';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const gateway = pgSchema('gateway');
export const { outbox, inbox, deadLetters, idempotencyKeys } = kitTables(gateway);

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** What the identity provider last said about a member, as the gateway applied it. */
export interface AppliedClaims {
  name: string | null;
  email: string | null;
  role: string;
  teams: string[];
}

/** The staff directory: one row per person who works in the tenant's CRM. */
export const members = gateway.table(
  'members',
  {
    tenantId: uuid('tenant_id').notNull(),
    /** The token's `sub`. */
    id: varchar('id', { length: 255 }).notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    email: varchar('email', { length: 320 }),
    role: varchar('role', { length: 20 }).notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    /** Null until their first sign-in; a claim that changes since then is applied again. */
    claims: jsonb('claims').$type<AppliedClaims>(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('members_email_idx')
      .on(t.tenantId, sql`lower(${t.email})`)
      .where(sql`email IS NOT NULL`),
    index('members_name_idx').on(t.tenantId, sql`lower(${t.name})`, t.id),
    check('members_role_check', sql`${t.role} IN ('admin', 'manager', 'staff', 'sales_rep')`),
  ],
);
export type MemberRow = typeof members.$inferSelect;

/**
 * Teams by the id tokens name them by. Names are unique among the names admins give; a team
 * first seen in a token is named by its id, so no unique index (it may clash).
 */
export const teams = gateway.table(
  'teams',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: varchar('id', { length: 100 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    version: integer('version').notNull().default(1),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('teams_name_idx').on(t.tenantId, sql`lower(${t.name})`, t.id),
  ],
);
export type TeamRow = typeof teams.$inferSelect;

export const teamMemberships = gateway.table(
  'team_memberships',
  {
    tenantId: uuid('tenant_id').notNull(),
    teamId: varchar('team_id', { length: 100 }).notNull(),
    memberId: varchar('member_id', { length: 255 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.teamId, t.memberId] }),
    index('team_memberships_member_idx').on(t.tenantId, t.memberId),
    foreignKey({
      name: 'team_memberships_team_fk',
      columns: [t.tenantId, t.teamId],
      foreignColumns: [teams.tenantId, teams.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'team_memberships_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
  ],
);

/**
 * The tenant's locale, time zone and currency; no row while the installation defaults apply,
 * so a tenant that never chose follows a change of the defaults.
 */
export const tenantSettings = gateway.table('tenant_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  locale: varchar('locale', { length: 35 }).notNull(),
  timezone: varchar('timezone', { length: 64 }).notNull(),
  currency: varchar('currency', { length: 3 }).notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
  /** The staff member (`sub`) who last set them. */
  updatedBy: varchar('updated_by', { length: 255 }).notNull(),
});
export type TenantSettingsRow = typeof tenantSettings.$inferSelect;
