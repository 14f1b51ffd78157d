import { kitTables, memberTables } from '@crm/service-kit';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  date,
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
import type {
  CustomFieldOption,
  CustomFieldValidation,
  CustomFieldValue,
  LifecycleStage,
  Preferences,
} from '@crm/contracts';

export const profiles = pgSchema('profiles');
export const { outbox, inbox, deadLetters, idempotencyKeys } = kitTables(profiles);
/** The replica of the staff directory that owners and collaborators are checked against. */
export const { teamMembers } = memberTables(profiles);

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The spec's bkx_crm_customer_profiles, keyed by tenant, with the customer's identity. */
export const customers = profiles.table(
  'customers',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    firstName: varchar('first_name', { length: 100 }).notNull(),
    lastName: varchar('last_name', { length: 100 }).notNull().default(''),
    email: varchar('email', { length: 254 }),
    phone: varchar('phone', { length: 32 }),
    timezone: varchar('timezone', { length: 64 }),
    locale: varchar('locale', { length: 35 }),
    addressLine1: varchar('address_line1', { length: 200 }),
    addressLine2: varchar('address_line2', { length: 200 }),
    city: varchar('city', { length: 100 }),
    region: varchar('region', { length: 100 }),
    postalCode: varchar('postal_code', { length: 20 }),
    country: varchar('country', { length: 2 }),
    preferences: jsonb('preferences').$type<Partial<Preferences>>().notNull().default({}),
    profilePictureUrl: varchar('profile_picture_url', { length: 500 }),
    companyName: varchar('company_name', { length: 200 }),
    jobTitle: varchar('job_title', { length: 200 }),
    website: varchar('website', { length: 500 }),
    linkedinUrl: varchar('linkedin_url', { length: 500 }),
    facebookUrl: varchar('facebook_url', { length: 500 }),
    instagramUrl: varchar('instagram_url', { length: 500 }),
    twitterUrl: varchar('twitter_url', { length: 500 }),
    preferredContactMethod: varchar('preferred_contact_method', { length: 20 }),
    preferredContactTime: varchar('preferred_contact_time', { length: 50 }),
    birthday: date('birthday', { mode: 'string' }),
    anniversary: date('anniversary', { mode: 'string' }),
    referralSource: varchar('referral_source', { length: 100 }),
    customerStatus: varchar('customer_status', { length: 50 }).notNull().default('active'),
    customerStage: varchar('customer_stage', { length: 50 }).notNull().default('new'),
    vipStatus: boolean('vip_status').notNull().default(false),
    doNotContact: boolean('do_not_contact').notNull().default(false),
    ownerId: varchar('owner_id', { length: 100 }),
    teamId: varchar('team_id', { length: 100 }),
    source: varchar('source', { length: 20 }).notNull().default('crm'),
    version: integer('version').notNull().default(1),
    /** Time of the newest BookingX fact applied, so an older one never overwrites it. */
    bookingxSyncedAt: tstz('bookingx_synced_at'),
    /** Start of the latest completed BookingX booking: only ever moves forward. */
    lastBookingAt: tstz('last_booking_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('customers_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('customers_updated_idx').on(t.tenantId, t.updatedAt, t.id),
    index('customers_last_name_idx').on(t.tenantId, t.lastName, t.id),
    index('customers_email_idx').on(t.tenantId, sql`lower(${t.email})`),
    // The list sorts by these (the id breaks ties) as well as filtering on them.
    index('customers_status_idx').on(t.tenantId, t.customerStatus, t.id),
    index('customers_stage_idx').on(t.tenantId, t.customerStage, t.id),
    // The list's sort by last booking, never-booked customers first (see customers.repository).
    index('customers_last_booking_idx').on(
      t.tenantId,
      sql`coalesce(${t.lastBookingAt}, '-infinity'::timestamptz)`,
      t.id,
    ),
    index('customers_vip_idx').on(t.tenantId, t.vipStatus),
    index('customers_owner_idx').on(t.tenantId, t.ownerId),
    index('customers_team_idx').on(t.tenantId, t.teamId),
    // Duplicate matching by phone (CSV import).
    index('customers_phone_idx').on(t.tenantId, t.phone),
  ],
);

/** Ids of the customer in other systems; one external id maps to one customer. */
export const externalRefs = profiles.table(
  'external_refs',
  {
    tenantId: uuid('tenant_id').notNull(),
    system: varchar('system', { length: 30 }).notNull(),
    externalId: varchar('external_id', { length: 100 }).notNull(),
    customerId: uuid('customer_id').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.system, t.externalId] }),
    index('external_refs_customer_idx').on(t.tenantId, t.customerId),
  ],
);

/**
 * A customer's phone numbers (E.164), one of them primary; `customers.phone` mirrors the
 * primary so single-number readers keep working.
 */
export const customerPhones = profiles.table(
  'customer_phones',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    number: varchar('number', { length: 32 }).notNull(),
    type: varchar('type', { length: 10 }).notNull(),
    isPrimary: boolean('is_primary').notNull().default(false),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.number] }),
    uniqueIndex('customer_phones_primary_idx')
      .on(t.tenantId, t.customerId)
      .where(sql`${t.isPrimary}`),
    index('customer_phones_number_idx').on(t.tenantId, t.number),
  ],
);

/** Staff who work on a customer besides its owner; they see it as assigned. */
export const collaborators = profiles.table(
  'customer_collaborators',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    staffId: varchar('staff_id', { length: 100 }).notNull(),
    addedAt: tstz('added_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.staffId] }),
    index('customer_collaborators_staff_idx').on(t.tenantId, t.staffId, t.customerId),
  ],
);

/** The tenant tag catalog; the spec's text list of tags, normalised. */
export const tags = profiles.table(
  'tags',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: varchar('name', { length: 50 }).notNull(),
    colour: varchar('colour', { length: 7 }).notNull(),
    description: varchar('description', { length: 500 }),
    version: integer('version').notNull().default(1),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('tags_name_idx').on(t.tenantId, sql`lower(${t.name})`),
  ],
);

export const customerTags = profiles.table(
  'customer_tags',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    tagId: uuid('tag_id').notNull(),
    addedAt: tstz('added_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.tagId] }),
    index('customer_tags_tag_idx').on(t.tenantId, t.tagId, t.customerId),
  ],
);

/** A tenant's own lifecycle stages; absent means the default list. */
export const lifecycleStages = profiles.table('lifecycle_stages', {
  tenantId: uuid('tenant_id').primaryKey(),
  stages: jsonb('stages').$type<LifecycleStage[]>().notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** The spec's bkx_crm_custom_fields, per tenant. */
export const customFieldDefinitions = profiles.table(
  'custom_field_definitions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    fieldName: varchar('field_name', { length: 64 }).notNull(),
    fieldLabel: varchar('field_label', { length: 200 }).notNull(),
    fieldType: varchar('field_type', { length: 20 }).notNull(),
    fieldOptions: jsonb('field_options').$type<CustomFieldOption[]>().notNull().default([]),
    isRequired: boolean('is_required').notNull().default(false),
    isSensitive: boolean('is_sensitive').notNull().default(false),
    validation: jsonb('validation').$type<CustomFieldValidation>().notNull().default({}),
    displayOrder: integer('display_order').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('custom_field_definitions_name_idx').on(t.tenantId, t.fieldName),
    index('custom_field_definitions_order_idx').on(t.tenantId, t.displayOrder),
  ],
);

/** The spec's bkx_crm_custom_field_values; the value is typed JSON, as its definition says. */
export const customFieldValues = profiles.table(
  'custom_field_values',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    fieldId: uuid('field_id').notNull(),
    value: jsonb('value').$type<CustomFieldValue>().notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.fieldId] }),
    index('custom_field_values_field_idx').on(t.tenantId, t.fieldId),
  ],
);

/**
 * Every change to a profile, one row per field. Append-only (a trigger refuses UPDATE,
 * DELETE and TRUNCATE) and chained per tenant: each hash covers the previous one.
 */
export const auditLog = profiles.table(
  'audit_log',
  {
    tenantId: uuid('tenant_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    occurredAt: tstz('occurred_at').notNull(),
    actorType: varchar('actor_type', { length: 20 }).notNull(),
    actorId: varchar('actor_id', { length: 100 }),
    actorName: varchar('actor_name', { length: 200 }),
    via: varchar('via', { length: 200 }).notNull(),
    field: varchar('field', { length: 100 }).notNull(),
    oldValue: jsonb('old_value').$type<unknown>(),
    newValue: jsonb('new_value').$type<unknown>(),
    masked: boolean('masked').notNull().default(false),
    prevHash: varchar('prev_hash', { length: 64 }).notNull(),
    hash: varchar('hash', { length: 64 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.seq] }),
    index('audit_log_customer_idx').on(t.tenantId, t.customerId, t.seq),
  ],
);

/** The consent ledger: append-only like the audit trail; the current state is derived. */
export const consentRecords = profiles.table(
  'consent_records',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    channel: varchar('channel', { length: 10 }).notNull(),
    purpose: varchar('purpose', { length: 20 }).notNull(),
    granted: boolean('granted').notNull(),
    source: varchar('source', { length: 50 }).notNull(),
    /** Sealed with the customer's data key (a 500-character note takes up to about 2,700). */
    note: text('note'),
    actorType: varchar('actor_type', { length: 20 }).notNull(),
    actorId: varchar('actor_id', { length: 100 }),
    recordedAt: tstz('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('consent_records_current_idx').on(
      t.tenantId,
      t.customerId,
      t.channel,
      t.purpose,
      t.recordedAt,
    ),
  ],
);

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The Postgres search index: one row per customer, rebuilt from the customer's events. Names
 * go through trigrams for typos, everything searchable through a tsvector for prefixes.
 */
export const searchDocuments = profiles.table(
  'search_documents',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    names: text('names').notNull(),
    doc: tsvector('doc').notNull(),
    email: varchar('email', { length: 254 }),
    phone: varchar('phone', { length: 32 }),
    /** Every number of the customer, the primary included. */
    phones: text('phones')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    firstName: varchar('first_name', { length: 100 }).notNull(),
    lastName: varchar('last_name', { length: 100 }).notNull(),
    companyName: varchar('company_name', { length: 200 }),
    customerStatus: varchar('customer_status', { length: 50 }).notNull(),
    customerStage: varchar('customer_stage', { length: 50 }).notNull(),
    vipStatus: boolean('vip_status').notNull(),
    tags: text('tags').array().notNull(),
    ownerId: varchar('owner_id', { length: 100 }),
    teamId: varchar('team_id', { length: 100 }),
    collaboratorIds: text('collaborator_ids').array().notNull(),
    version: integer('version').notNull(),
    updatedAt: tstz('updated_at').notNull(),
  },
  // Every index leads with the tenant (decision 0014); the GIN indexes take tenant_id through
  // btree_gin, so a query reads only its own tenant's rows. They write each document into
  // the index at once (no fastupdate): a pending list, scanned whole by every search until
  // it is merged, made a prefix query read 409 pages instead of 99 after 10,000 writes.
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    // Word prefixes.
    index('search_documents_tenant_doc_idx')
      .using('gin', t.tenantId, t.doc)
      .with({ fastupdate: false }),
    // Typo matches (every word's word similarity, `<%`) and the duplicate check (`%`).
    index('search_documents_tenant_names_idx')
      .using('gin', t.tenantId, sql`${t.names} profiles.gin_trgm_ops`)
      .with({ fastupdate: false }),
    index('search_documents_email_idx').on(t.tenantId, t.email),
    index('search_documents_phone_idx').on(t.tenantId, t.phone),
    // Any of a customer's numbers.
    index('search_documents_tenant_phones_idx')
      .using('gin', t.tenantId, t.phones)
      .with({ fastupdate: false }),
    index('search_documents_last_name_idx').on(t.tenantId, t.lastName, t.customerId),
    index('search_documents_updated_idx').on(t.tenantId, t.updatedAt, t.customerId),
  ],
);

/** Customers merged away, so their ids keep resolving to the survivor. */
export const mergedCustomers = profiles.table(
  'merged_customers',
  {
    tenantId: uuid('tenant_id').notNull(),
    mergedId: uuid('merged_id').notNull(),
    survivorId: uuid('survivor_id').notNull(),
    mergedBy: varchar('merged_by', { length: 100 }),
    mergedAt: tstz('merged_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.mergedId] }),
    index('merged_customers_survivor_idx').on(t.tenantId, t.survivorId),
  ],
);

/** One row per side: the pair shares `id`, each side names what the other is to it. */
export const relationships = profiles.table(
  'relationships',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    relatedId: uuid('related_id').notNull(),
    type: varchar('type', { length: 20 }).notNull(),
    note: varchar('note', { length: 500 }),
    createdBy: varchar('created_by', { length: 100 }),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id, t.customerId] }),
    uniqueIndex('relationships_pair_idx').on(t.tenantId, t.customerId, t.relatedId, t.type),
    index('relationships_related_idx').on(t.tenantId, t.relatedId),
  ],
);

export const households = profiles.table(
  'households',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    version: integer('version').notNull().default(1),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** A customer is in at most one household. */
export const householdMembers = profiles.table(
  'household_members',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    householdId: uuid('household_id').notNull(),
    joinedAt: tstz('joined_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    index('household_members_household_idx').on(t.tenantId, t.householdId),
  ],
);

export const opportunities = profiles.table(
  'opportunities',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    stage: varchar('stage', { length: 50 }).notNull(),
    status: varchar('status', { length: 10 }).notNull().default('open'),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: varchar('currency', { length: 3 }).notNull(),
    expectedCloseDate: date('expected_close_date', { mode: 'string' }),
    ownerId: varchar('owner_id', { length: 100 }),
    lostReason: varchar('lost_reason', { length: 500 }),
    closedAt: tstz('closed_at'),
    version: integer('version').notNull().default(1),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('opportunities_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('opportunities_pipeline_idx').on(t.tenantId, t.status, t.stage, t.createdAt),
  ],
);

export const opportunityStages = profiles.table('opportunity_stages', {
  tenantId: uuid('tenant_id').primaryKey(),
  stages: jsonb('stages').$type<LifecycleStage[]>().notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** The thumbnail of an uploaded profile picture; the original is not kept. */
export const customerPictures = profiles.table(
  'customer_pictures',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    content: bytea('content').notNull(),
    contentType: varchar('content_type', { length: 30 }).notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    uploadedAt: tstz('uploaded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId] })],
);

/** Who asked for an import: the job acts with the rights of this caller. */
export interface ImportRequester {
  sub: string;
  role: 'admin' | 'manager';
  teams: string[];
  name: string | null;
}

/** A CSV import of customers: its options and its progress, committed batch by batch. */
export const customerImports = profiles.table(
  'customer_imports',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    /** queued, running, completed, failed */
    status: varchar('status', { length: 20 }).notNull().default('queued'),
    dryRun: boolean('dry_run').notNull(),
    onDuplicate: varchar('on_duplicate', { length: 10 }).notNull(),
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    phoneRegion: varchar('phone_region', { length: 2 }).notNull(),
    requestedBy: jsonb('requested_by').$type<ImportRequester>().notNull(),
    createdBy: varchar('created_by', { length: 100 }).notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    totalRows: integer('total_rows').notNull(),
    /** Data rows handled so far; a resumed job starts after them. */
    processedRows: integer('processed_rows').notNull().default(0),
    createdCount: integer('created_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    failedCount: integer('failed_count').notNull().default(0),
    failure: varchar('failure', { length: 500 }),
    createdAt: tstz('created_at').notNull().defaultNow(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('customer_imports_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);

/** The uploaded CSV, kept until the import has run so a crashed job can resume. */
export const customerImportUploads = profiles.table(
  'customer_import_uploads',
  {
    tenantId: uuid('tenant_id').notNull(),
    importId: uuid('import_id').notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.importId] })],
);

/** The per-row error report of an import. */
export const customerImportErrors = profiles.table(
  'customer_import_errors',
  {
    tenantId: uuid('tenant_id').notNull(),
    importId: uuid('import_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    seq: integer('seq').notNull(),
    column: varchar('column', { length: 200 }),
    code: varchar('code', { length: 50 }).notNull(),
    message: varchar('message', { length: 500 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.importId, t.rowNumber, t.seq] })],
);

/**
 * Identity keys (external ref, email, phone) of the rows an import has handled, so a later
 * row of the same file is matched against an earlier one, in a dry run too.
 */
export const customerImportKeys = profiles.table(
  'customer_import_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    importId: uuid('import_id').notNull(),
    key: varchar('key', { length: 300 }).notNull(),
    rowNumber: integer('row_number').notNull(),
    customerId: uuid('customer_id'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.importId, t.key] })],
);

/**
 * A customer's data key, wrapped (AES-256-GCM) by a master key of FIELD_ENCRYPTION_KEYS.
 * Erasure deletes the row: every value sealed with the key becomes unreadable.
 */
export const customerKeys = profiles.table(
  'customer_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** Generation of the data key; sealed values name it, and it is part of their AAD. */
    keyVersion: integer('key_version').notNull().default(1),
    /** Id of the master key that wraps it (`v2` of `FIELD_ENCRYPTION_KEYS`). */
    masterKeyId: varchar('master_key_id', { length: 32 }).notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    rewrappedAt: tstz('rewrapped_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    index('customer_keys_master_idx').on(t.masterKeyId, t.tenantId, t.customerId),
  ],
);

/** Customers erased on request: their id is never filled again, whatever BookingX sends. */
export const erasedCustomers = profiles.table(
  'erased_customers',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    erasedAt: tstz('erased_at').notNull().defaultNow(),
    erasedBy: varchar('erased_by', { length: 100 }),
    reason: varchar('reason', { length: 500 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId] })],
);

export type CustomerRow = typeof customers.$inferSelect;
export type CustomerPhoneRow = typeof customerPhones.$inferSelect;
export type NewCustomerRow = typeof customers.$inferInsert;
export type TagRow = typeof tags.$inferSelect;
export type CustomFieldRow = typeof customFieldDefinitions.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type ConsentRow = typeof consentRecords.$inferSelect;
export type RelationshipRow = typeof relationships.$inferSelect;
export type HouseholdRow = typeof households.$inferSelect;
export type OpportunityRow = typeof opportunities.$inferSelect;
export type CustomerKeyRow = typeof customerKeys.$inferSelect;
