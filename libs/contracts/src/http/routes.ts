import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, Problem } from '../errors.js';
import { PageQuery } from '../pagination.js';
import type { Role } from '../roles.js';
import { DeadLetter, DeadLetterPage } from './admin.js';
import {
  CreateCustomerBody,
  Customer,
  ExportCustomersQuery,
  CustomerIdParams,
  CustomerPage,
  ListCustomersQuery,
  QueryCustomersBody,
  UpdateCustomerBody,
} from './customers.js';
import { IngestBatch, IngestResult } from './ingest.js';
import {
  CreateImportQuery,
  CustomerImport,
  CustomerImportPage,
  IMPORT_CONTENT_TYPE,
  ImportCsvBody,
  ImportErrorPage,
  ImportIdParams,
  ListImportErrorsQuery,
  ListImportsQuery,
} from './imports.js';
import {
  Engagement,
  IngestCredentials,
  Interaction,
  InteractionPage,
  InteractionParams,
  ListInteractionsQuery,
  LogInteractionBody,
  TimelineExportQuery,
  TrackBody,
  TrackResult,
  TrackingSettings,
  UpdateInteractionBody,
  UpdateTrackingSettingsBody,
} from './interactions.js';
import { AuditPage, ListAuditQuery } from './audit.js';
import { SearchCustomersQuery, SearchPage } from './search.js';
import { DuplicateList, MergeCustomersBody } from './merge.js';
import { UploadPictureBody } from './pictures.js';
import { CustomerErasure, EraseCustomerBody } from './erasure.js';
import {
  CreateOpportunityBody,
  ListOpportunitiesQuery,
  Opportunity,
  OpportunityIdParams,
  OpportunityPage,
  OpportunityStages,
  PutOpportunityStagesBody,
  UpdateOpportunityBody,
} from './opportunities.js';
import {
  CreateHouseholdBody,
  CreateRelationshipBody,
  CustomerRelationships,
  Household,
  HouseholdIdParams,
  Relationship,
  RelationshipParams,
  UpdateHouseholdBody,
} from './relationships.js';
import {
  ConsentHistoryPage,
  ConsentHistoryQuery,
  ConsentRecord,
  ConsentState,
  Me,
  RecordConsentBody,
  RecordMyConsentBody,
  UpdateMeBody,
} from './consent.js';
import {
  CreateCustomFieldBody,
  CustomFieldDefinition,
  CustomFieldIdParams,
  CustomFieldList,
  ListCustomFieldsQuery,
  ReorderCustomFieldsBody,
  UpdateCustomFieldBody,
} from './custom-fields.js';
import {
  BulkAssignBody,
  BulkResult,
  BulkStageBody,
  BulkTagsBody,
  CreateTagBody,
  CustomerTagsBody,
  LifecycleStages,
  ListTagsQuery,
  PutLifecycleStagesBody,
  Tag,
  TagIdParams,
  TagPage,
  UpdateTagBody,
} from './tags.js';
import { TimelinePage, TimelineQuery } from './timeline.js';

export const SERVICE_NAMES = [
  'gateway',
  'profiles',
  'interactions',
  'notes-tasks',
  'comms',
  'segments',
  'automation',
  'analytics',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The services behind the gateway, each with its own queue and dead-letter queue. */
export const BACKEND_SERVICES = [
  'profiles',
  'interactions',
  'notes-tasks',
  'comms',
  'segments',
  'automation',
  'analytics',
] as const satisfies readonly ServiceName[];
export type BackendService = (typeof BACKEND_SERVICES)[number];
export const BackendService = z.enum(BACKEND_SERVICES);

export function isBackendService(value: string): value is BackendService {
  return (BACKEND_SERVICES as readonly string[]).includes(value);
}

/** In place of a service name: the upstream is the value of the route's `{service}` segment. */
export const SERVICE_FROM_PATH = '{service}';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const JSON_CONTENT_TYPE = 'application/json';

export interface RouteRequest {
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Keys in lower case, as Node delivers header names, so the schema parses `req.headers`. */
  headers?: z.ZodObject;
  /** Sent as application/json unless `bodyContentType` names another media type. */
  body?: z.ZodType;
  /** A raw upload the service reads itself, e.g. `text/csv`. */
  bodyContentType?: string;
}

export interface RouteResponse {
  description: string;
  contentType?: string;
  schema?: z.ZodType;
  /** Response headers by their canonical name (`Location`, `ETag`). */
  headers?: z.ZodObject;
}

export interface RouteDefinition {
  /** The OpenAPI operationId. */
  id: string;
  method: HttpMethod;
  /** OpenAPI form, e.g. `/crm/customers/{id}`. */
  path: `/crm/${string}`;
  service: ServiceName | typeof SERVICE_FROM_PATH;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** Roles that may call the route at all; object-level checks still apply in each service. */
  roles: readonly Role[];
  request: RouteRequest;
  responses: Readonly<Record<number, RouteResponse>>;
  /**
   * `jwt`: a bearer token, verified by the gateway and the service. `signature`: an HMAC
   * of the tenant's ingest secret over timestamp and body. `tracking_key`: the tenant's
   * public tracking key in the body (browsers of the booking site).
   */
  auth: 'jwt' | 'signature' | 'tracking_key';
}

function json<S extends z.ZodType>(description: string, schema: S, headers?: z.ZodObject) {
  return headers === undefined
    ? { description, contentType: JSON_CONTENT_TYPE, schema }
    : { description, contentType: JSON_CONTENT_TYPE, schema, headers };
}

function problem(description: string) {
  return { description, contentType: PROBLEM_CONTENT_TYPE, schema: Problem };
}

const unauthenticated = problem(
  'No bearer token, or one that is expired, badly signed or for another audience (code `unauthenticated`).',
);
const forbidden = problem("The caller's role may not use this operation (code `forbidden`).");
const invalid = problem(
  'A parameter or body field broke its schema, or an unknown field was sent; `errors[]` names each one (code `validation_failed`).',
);
const customerNotFound = problem(
  'No such customer, or one the caller may not see (code `not_found`).',
);

const ETag = z
  .string()
  .regex(/^"\d+"$/)
  .describe('The version of the customer in quotes, e.g. `"3"`; send it back in `If-Match`.');

const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe(
      'Any unique string, e.g. a UUID. A retry with the same key and body returns the first response; the same key with another body is refused with 409 `idempotency_conflict`.',
    ),
});

const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .regex(/^"\d+"$/)
    .optional()
    .describe(
      'The `ETag` last read. The update is refused with 412 when the customer has changed since.',
    ),
});

const DeadLetterListParams = z.object({
  service: BackendService.describe('The service that consumed the event'),
});

const DeadLetterParams = DeadLetterListParams.extend({ id: z.uuid() });

const STAFF: readonly Role[] = ['admin', 'manager', 'staff', 'sales_rep'];
const CUSTOMER_EDITORS: readonly Role[] = ['admin', 'manager', 'sales_rep'];
const ADMIN: readonly Role[] = ['admin'];
const ADMIN_MANAGER: readonly Role[] = ['admin', 'manager'];
const CUSTOMER: readonly Role[] = ['customer'];
const SALES: readonly Role[] = ['admin', 'manager', 'sales_rep'];
const opportunityNotFound = problem(
  'No such opportunity on a customer the caller may see (code `not_found`).',
);

const VersionETag = z
  .string()
  .regex(/^"\d+"$/)
  .describe('The version in quotes, e.g. `"3"`; send it back in `If-Match`.');
const stale = problem(
  'The object changed since the `If-Match` version was read (code `precondition_failed`).',
);
const tagNotFound = problem('No such tag in the tenant (code `not_found`).');

/** Every HTTP route behind the gateway: the gateway routes by it and openapi.json is built from it. */
export const ROUTES = [
  {
    id: 'createCustomer',
    method: 'post',
    path: '/crm/customers',
    service: 'profiles',
    summary: 'Create a customer',
    description:
      'Creates a customer profile with a new time-ordered id and publishes `crm.customer.created.v1`.',
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { body: CreateCustomerBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json(
        'The customer as stored.',
        Customer,
        z.object({
          Location: z.string().describe('Path of the new customer, `/crm/customers/{id}`'),
          ETag,
        }),
      ),
      401: unauthenticated,
      403: forbidden,
      409: problem(
        'Another customer of the tenant has this email or external reference (code `conflict`), or the `Idempotency-Key` was used with another body (code `idempotency_conflict`).',
      ),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomers',
    method: 'get',
    path: '/crm/customers',
    service: 'profiles',
    summary: 'List customers',
    description:
      'Customers the caller may see, one page at a time, optionally narrowed by `filter` (the filter language, URL-encoded JSON; see docs/filter-language.md).',
    tags: ['Customers'],
    roles: STAFF,
    request: { query: ListCustomersQuery },
    responses: {
      200: json('One page of customers.', CustomerPage),
      400: problem('`filter` is not JSON (code `bad_request`).'),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'queryCustomers',
    method: 'post',
    path: '/crm/customers/query',
    service: 'profiles',
    summary: 'List customers with a filter in the body',
    description:
      'The same list as `GET /crm/customers`, for filters too long for a URL: the filter (see docs/filter-language.md), sort, limit and cursor in the body; a bad leaf is a 422 naming `filter.<path>`. A read: nothing changes.',
    tags: ['Customers'],
    roles: STAFF,
    request: { body: QueryCustomersBody },
    responses: {
      200: json('One page of customers.', CustomerPage),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomer',
    method: 'get',
    path: '/crm/customers/{id}',
    service: 'profiles',
    summary: 'Get a customer',
    tags: ['Customers'],
    roles: STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: json('The customer.', Customer, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
  {
    id: 'updateCustomer',
    method: 'patch',
    path: '/crm/customers/{id}',
    service: 'profiles',
    summary: 'Update a customer',
    description:
      'Changes the fields sent and leaves the others as they are; `null` clears a nullable field. Publishes `crm.customer.updated.v1`.',
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: UpdateCustomerBody, headers: IfMatchHeader },
    responses: {
      200: json('The customer after the change.', Customer, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      412: problem(
        'The customer changed since the `If-Match` version was read (code `precondition_failed`).',
      ),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'setCustomerTags',
    method: 'post',
    path: '/crm/customers/{id}/tags',
    service: 'profiles',
    summary: "Add and remove a customer's tags",
    description:
      'Tags are named from the tenant catalog; an unknown name is refused with 422. Publishes `crm.customer.updated.v1` when the tags change.',
    tags: ['Tags'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: CustomerTagsBody, headers: IfMatchHeader },
    responses: {
      200: json('The customer after the change.', Customer, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      412: stale,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'bulkTagCustomers',
    method: 'post',
    path: '/crm/customers/bulk/tags',
    service: 'profiles',
    summary: 'Add and remove tags on many customers',
    description:
      'All or nothing for the customers the caller may change; ids the caller may not see are reported in `not_found` and left alone.',
    tags: ['Tags'],
    roles: CUSTOMER_EDITORS,
    request: { body: BulkTagsBody, headers: IdempotencyKeyHeader },
    responses: {
      200: json('What changed.', BulkResult),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listTags',
    method: 'get',
    path: '/crm/tags',
    service: 'profiles',
    summary: 'The tag catalog',
    description: 'Tags of the tenant by name, with how many customers carry each.',
    tags: ['Tags'],
    roles: STAFF,
    request: { query: ListTagsQuery },
    responses: {
      200: json('One page of tags.', TagPage),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'createTag',
    method: 'post',
    path: '/crm/tags',
    service: 'profiles',
    summary: 'Add a tag to the catalog',
    tags: ['Tags'],
    roles: ADMIN_MANAGER,
    request: { body: CreateTagBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json('The tag.', Tag, z.object({ Location: z.string(), ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      409: problem('A tag of this name exists (code `conflict`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getTag',
    method: 'get',
    path: '/crm/tags/{tag_id}',
    service: 'profiles',
    summary: 'Get a tag',
    tags: ['Tags'],
    roles: STAFF,
    request: { params: TagIdParams },
    responses: {
      200: json('The tag.', Tag, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      404: tagNotFound,
    },
    auth: 'jwt',
  },
  {
    id: 'updateTag',
    method: 'patch',
    path: '/crm/tags/{tag_id}',
    service: 'profiles',
    summary: 'Rename or recolour a tag',
    description:
      'A rename publishes `crm.customer.updated.v1` for every customer carrying the tag, since their `tags` change.',
    tags: ['Tags'],
    roles: ADMIN_MANAGER,
    request: { params: TagIdParams, body: UpdateTagBody, headers: IfMatchHeader },
    responses: {
      200: json('The tag after the change.', Tag, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      404: tagNotFound,
      409: problem('Another tag has this name (code `conflict`).'),
      412: stale,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'deleteTag',
    method: 'delete',
    path: '/crm/tags/{tag_id}',
    service: 'profiles',
    summary: 'Remove a tag from the catalog and from every customer',
    description: 'Publishes `crm.customer.updated.v1` for every customer that carried it.',
    tags: ['Tags'],
    roles: ADMIN,
    request: { params: TagIdParams, headers: IfMatchHeader },
    responses: {
      204: { description: 'Deleted.' },
      401: unauthenticated,
      403: forbidden,
      404: tagNotFound,
      412: stale,
    },
    auth: 'jwt',
  },
  {
    id: 'getLifecycleStages',
    method: 'get',
    path: '/crm/lifecycle-stages',
    service: 'profiles',
    summary: "The tenant's lifecycle stages",
    description: 'In pipeline order; a tenant that never set its own list gets the default one.',
    tags: ['Customers'],
    roles: STAFF,
    request: {},
    responses: {
      200: json('The stages.', LifecycleStages, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
    },
    auth: 'jwt',
  },
  {
    id: 'putLifecycleStages',
    method: 'put',
    path: '/crm/lifecycle-stages',
    service: 'profiles',
    summary: "Replace the tenant's lifecycle stages",
    description:
      'The list must hold the default stage of new customers. Customers keep a stage removed from the list until they are moved; a stage key may not be repeated.',
    tags: ['Customers'],
    roles: ADMIN,
    request: { body: PutLifecycleStagesBody, headers: IfMatchHeader },
    responses: {
      200: json('The stages as stored.', LifecycleStages, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      412: stale,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomFields',
    method: 'get',
    path: '/crm/custom-fields',
    service: 'profiles',
    summary: 'Custom field definitions',
    description: 'In display order; inactive ones only when asked for.',
    tags: ['Custom fields'],
    roles: STAFF,
    request: { query: ListCustomFieldsQuery },
    responses: {
      200: json('The definitions.', CustomFieldList),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'createCustomField',
    method: 'post',
    path: '/crm/custom-fields',
    service: 'profiles',
    summary: 'Define a custom field',
    description:
      'At most `max_custom_fields` definitions per tenant (default 50). Publishes `crm.custom_field.created.v1`.',
    tags: ['Custom fields'],
    roles: ADMIN,
    request: { body: CreateCustomFieldBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json(
        'The definition.',
        CustomFieldDefinition,
        z.object({ Location: z.string(), ETag: VersionETag }),
      ),
      401: unauthenticated,
      403: forbidden,
      409: problem(
        'A field of this name exists, or the tenant has `max_custom_fields` definitions (code `conflict`).',
      ),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'reorderCustomFields',
    method: 'post',
    path: '/crm/custom-fields/reorder',
    service: 'profiles',
    summary: 'Put the custom fields in a new display order',
    description:
      'Name every definition once. Publishes `crm.custom_field.updated.v1` for each that moved.',
    tags: ['Custom fields'],
    roles: ADMIN,
    request: { body: ReorderCustomFieldsBody, headers: IdempotencyKeyHeader },
    responses: {
      200: json('The definitions in their new order.', CustomFieldList),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomField',
    method: 'get',
    path: '/crm/custom-fields/{field_id}',
    service: 'profiles',
    summary: 'Get a custom field definition',
    tags: ['Custom fields'],
    roles: STAFF,
    request: { params: CustomFieldIdParams },
    responses: {
      200: json('The definition.', CustomFieldDefinition, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such custom field in the tenant (code `not_found`).'),
    },
    auth: 'jwt',
  },
  {
    id: 'updateCustomField',
    method: 'patch',
    path: '/crm/custom-fields/{field_id}',
    service: 'profiles',
    summary: 'Change a custom field definition',
    description:
      'Label, options, required, rules, order and active state; the name and type stay. Stored values are not re-checked against new rules, but every later write is. Publishes `crm.custom_field.updated.v1`.',
    tags: ['Custom fields'],
    roles: ADMIN,
    request: { params: CustomFieldIdParams, body: UpdateCustomFieldBody, headers: IfMatchHeader },
    responses: {
      200: json(
        'The definition after the change.',
        CustomFieldDefinition,
        z.object({ ETag: VersionETag }),
      ),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such custom field in the tenant (code `not_found`).'),
      412: stale,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'deleteCustomField',
    method: 'delete',
    path: '/crm/custom-fields/{field_id}',
    service: 'profiles',
    summary: 'Delete a custom field and every value of it',
    description:
      'Publishes `crm.custom_field.deleted.v1`, and `crm.customer.updated.v1` for each customer that had a value. To hide a field but keep its values, set `is_active` to false instead.',
    tags: ['Custom fields'],
    roles: ADMIN,
    request: { params: CustomFieldIdParams, headers: IfMatchHeader },
    responses: {
      204: { description: 'Deleted.' },
      401: unauthenticated,
      403: forbidden,
      404: problem('No such custom field in the tenant (code `not_found`).'),
      412: stale,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomerAudit',
    method: 'get',
    path: '/crm/customers/{id}/audit',
    service: 'profiles',
    summary: "A customer's audit trail",
    description:
      'Every change to the profile, newest first: who, when, which field, old and new value (sensitive fields masked) and the route or event that made it. The trail is append-only and hash-chained per tenant.',
    tags: ['Customers'],
    roles: ADMIN,
    request: { params: CustomerIdParams, query: ListAuditQuery },
    responses: {
      200: json('One page of changes.', AuditPage),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomerConsent',
    method: 'get',
    path: '/crm/customers/{id}/consent',
    service: 'profiles',
    summary: "A customer's current consent",
    description:
      'Derived from the newest ledger record of each channel and purpose; `granted: null` where the customer was never asked. Check `do_not_contact` first.',
    tags: ['Consent'],
    roles: STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: json('The current consent.', ConsentState),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
  {
    id: 'recordCustomerConsent',
    method: 'post',
    path: '/crm/customers/{id}/consent',
    service: 'profiles',
    summary: 'Record a consent given or withdrawn',
    description:
      'Appends to the consent ledger (records are never changed or deleted) and publishes `crm.consent.changed.v1`.',
    tags: ['Consent'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: RecordConsentBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json('The record.', ConsentRecord),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomerConsentHistory',
    method: 'get',
    path: '/crm/customers/{id}/consent/history',
    service: 'profiles',
    summary: "A customer's consent ledger",
    description: 'Every record, newest first.',
    tags: ['Consent'],
    roles: STAFF,
    request: { params: CustomerIdParams, query: ConsentHistoryQuery },
    responses: {
      200: json('One page of records.', ConsentHistoryPage),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getMe',
    method: 'get',
    path: '/crm/me',
    service: 'profiles',
    summary: 'My profile',
    description: 'For the customer role: the fields of their own profile a customer sees.',
    tags: ['Self-service'],
    roles: CUSTOMER,
    request: {},
    responses: {
      200: json('The profile.', Me, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: problem('The token names no customer of the tenant (code `not_found`).'),
    },
    auth: 'jwt',
  },
  {
    id: 'updateMe',
    method: 'patch',
    path: '/crm/me',
    service: 'profiles',
    summary: 'Change my profile',
    description:
      'Only the fields a customer may change; any other field — including ones staff may change, such as `customer_stage` or `email` — is refused with 422 naming it. Publishes `crm.customer.updated.v1`.',
    tags: ['Self-service'],
    roles: CUSTOMER,
    request: { body: UpdateMeBody, headers: IfMatchHeader },
    responses: {
      200: json('The profile after the change.', Me, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: problem('The token names no customer of the tenant (code `not_found`).'),
      412: stale,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getMyConsent',
    method: 'get',
    path: '/crm/me/consent',
    service: 'profiles',
    summary: 'My consent',
    tags: ['Self-service'],
    roles: CUSTOMER,
    request: {},
    responses: {
      200: json('The current consent.', ConsentState),
      401: unauthenticated,
      403: forbidden,
      404: problem('The token names no customer of the tenant (code `not_found`).'),
    },
    auth: 'jwt',
  },
  {
    id: 'recordMyConsent',
    method: 'post',
    path: '/crm/me/consent',
    service: 'profiles',
    summary: 'Give or withdraw my consent',
    description:
      'Appends to the ledger with source `self_service` and publishes `crm.consent.changed.v1`.',
    tags: ['Self-service'],
    roles: CUSTOMER,
    request: { body: RecordMyConsentBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json('The record.', ConsentRecord),
      401: unauthenticated,
      403: forbidden,
      404: problem('The token names no customer of the tenant (code `not_found`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'searchCustomers',
    method: 'get',
    path: '/crm/search',
    service: 'profiles',
    summary: 'Search customers',
    description:
      'Over name, email, phone, tags, company and custom text fields: word prefixes and small typos match; an email or phone number matches exactly. Only customers the caller may see. A change is searchable within about a second: the index follows the events the change published.',
    tags: ['Customers'],
    roles: STAFF,
    request: { query: SearchCustomersQuery },
    responses: {
      200: json('One page of hits, best first unless sorted otherwise.', SearchPage),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomerDuplicates',
    method: 'get',
    path: '/crm/customers/{id}/duplicates',
    service: 'profiles',
    summary: 'Likely duplicates of a customer',
    description:
      'Customers the caller may see with the same email (score 1), the same phone (0.9) or a similar name (up to 0.6), best first.',
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams },
    responses: {
      200: json('The suggestions.', DuplicateList),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
  {
    id: 'mergeCustomers',
    method: 'post',
    path: '/crm/customers/{id}/merge',
    service: 'profiles',
    summary: 'Merge customers into this one',
    description:
      'The customer in the path survives with its id and takes, field by field, the values chosen; tags, collaborators, custom field values, external references and consent move to it. Reading a merged id afterwards answers with the survivor. Publishes `crm.customer.merged.v1` (every service re-keys its rows) and `crm.customer.updated.v1` for the survivor.',
    tags: ['Customers'],
    roles: ADMIN_MANAGER,
    request: { params: CustomerIdParams, body: MergeCustomersBody, headers: IfMatchHeader },
    responses: {
      200: json('The survivor after the merge.', Customer, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: problem(
        'The survivor or a merged customer does not exist for the caller (code `not_found`).',
      ),
      412: problem(
        'The survivor changed since the `If-Match` version was read (code `precondition_failed`).',
      ),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'eraseCustomer',
    method: 'post',
    path: '/crm/customers/{id}/erase',
    service: 'profiles',
    summary: 'Erase a customer (right to erasure)',
    description:
      "Destroys the customer's data key, so every value sealed with it (sensitive custom fields in stored rows, events and backups; the customer's audit values) becomes unreadable, and deletes the profile with its tags, custom values, phones, external references, relationships, picture, collaborators, opportunities and search entry, all in one transaction. The hash-chained audit trail and the consent ledger keep their rows. A tombstone keeps the id from being filled again by a later BookingX event. Publishes `crm.customer.erased.v1`; the customer answers 404 afterwards. Erasing an erased customer again answers 200 with `already_erased`.",
    tags: ['Customers'],
    roles: ADMIN,
    request: { params: CustomerIdParams, body: EraseCustomerBody },
    responses: {
      200: json('The customer is erased.', CustomerErasure),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such customer in the tenant, and none erased (code `not_found`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomerRelationships',
    method: 'get',
    path: '/crm/customers/{id}/relationships',
    service: 'profiles',
    summary: "A customer's relationships and household",
    tags: ['Relationships'],
    roles: STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: json('The relationships, newest first, and the household.', CustomerRelationships),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
  {
    id: 'createRelationship',
    method: 'post',
    path: '/crm/customers/{id}/relationships',
    service: 'profiles',
    summary: 'Relate two customers',
    description:
      'Two-sided: the related customer lists the inverse (a `parent` here is a `child` there). The caller must be able to see both customers.',
    tags: ['Relationships'],
    roles: CUSTOMER_EDITORS,
    request: {
      params: CustomerIdParams,
      body: CreateRelationshipBody,
      headers: IdempotencyKeyHeader,
    },
    responses: {
      201: json('The relationship as this customer sees it.', Relationship),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      409: problem('The two customers already have a relationship of this type (code `conflict`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'deleteRelationship',
    method: 'delete',
    path: '/crm/customers/{id}/relationships/{relationship_id}',
    service: 'profiles',
    summary: 'Remove a relationship from both customers',
    tags: ['Relationships'],
    roles: CUSTOMER_EDITORS,
    request: { params: RelationshipParams },
    responses: {
      204: { description: 'Removed from both sides.' },
      401: unauthenticated,
      403: forbidden,
      404: problem('No such relationship on a customer the caller may see (code `not_found`).'),
    },
    auth: 'jwt',
  },
  {
    id: 'createHousehold',
    method: 'post',
    path: '/crm/households',
    service: 'profiles',
    summary: 'Make a household',
    description: 'A customer belongs to at most one household; joining a new one leaves the old.',
    tags: ['Relationships'],
    roles: CUSTOMER_EDITORS,
    request: { body: CreateHouseholdBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json('The household.', Household, z.object({ Location: z.string(), ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getHousehold',
    method: 'get',
    path: '/crm/households/{household_id}',
    service: 'profiles',
    summary: 'Get a household',
    tags: ['Relationships'],
    roles: STAFF,
    request: { params: HouseholdIdParams },
    responses: {
      200: json('The household.', Household, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such household with a member the caller may see (code `not_found`).'),
    },
    auth: 'jwt',
  },
  {
    id: 'updateHousehold',
    method: 'patch',
    path: '/crm/households/{household_id}',
    service: 'profiles',
    summary: 'Rename a household or change its members',
    tags: ['Relationships'],
    roles: CUSTOMER_EDITORS,
    request: { params: HouseholdIdParams, body: UpdateHouseholdBody, headers: IfMatchHeader },
    responses: {
      200: json('The household after the change.', Household, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such household, or a member the caller may not see (code `not_found`).'),
      412: stale,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'deleteHousehold',
    method: 'delete',
    path: '/crm/households/{household_id}',
    service: 'profiles',
    summary: 'Dissolve a household',
    tags: ['Relationships'],
    roles: CUSTOMER_EDITORS,
    request: { params: HouseholdIdParams, headers: IfMatchHeader },
    responses: {
      204: { description: 'Dissolved; its members stay.' },
      401: unauthenticated,
      403: forbidden,
      404: problem('No such household with a member the caller may see (code `not_found`).'),
      412: stale,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomerOpportunities',
    method: 'get',
    path: '/crm/customers/{id}/opportunities',
    service: 'profiles',
    summary: "A customer's opportunities",
    tags: ['Opportunities'],
    roles: SALES,
    request: { params: CustomerIdParams, query: ListOpportunitiesQuery },
    responses: {
      200: json('One page, newest first.', OpportunityPage),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'createOpportunity',
    method: 'post',
    path: '/crm/customers/{id}/opportunities',
    service: 'profiles',
    summary: 'Open an opportunity',
    tags: ['Opportunities'],
    roles: SALES,
    request: {
      params: CustomerIdParams,
      body: CreateOpportunityBody,
      headers: IdempotencyKeyHeader,
    },
    responses: {
      201: json(
        'The opportunity.',
        Opportunity,
        z.object({ Location: z.string(), ETag: VersionETag }),
      ),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listOpportunities',
    method: 'get',
    path: '/crm/opportunities',
    service: 'profiles',
    summary: 'The pipeline',
    description:
      'Opportunities on customers the caller may see, newest first; filter by stage, status and owner.',
    tags: ['Opportunities'],
    roles: SALES,
    request: { query: ListOpportunitiesQuery },
    responses: {
      200: json('One page.', OpportunityPage),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getOpportunity',
    method: 'get',
    path: '/crm/opportunities/{opportunity_id}',
    service: 'profiles',
    summary: 'Get an opportunity',
    tags: ['Opportunities'],
    roles: SALES,
    request: { params: OpportunityIdParams },
    responses: {
      200: json('The opportunity.', Opportunity, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      404: opportunityNotFound,
    },
    auth: 'jwt',
  },
  {
    id: 'updateOpportunity',
    method: 'patch',
    path: '/crm/opportunities/{opportunity_id}',
    service: 'profiles',
    summary: 'Move, revalue, reassign, win or lose an opportunity',
    description: 'Losing needs a `lost_reason`.',
    tags: ['Opportunities'],
    roles: SALES,
    request: { params: OpportunityIdParams, body: UpdateOpportunityBody, headers: IfMatchHeader },
    responses: {
      200: json('The opportunity after the change.', Opportunity, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      404: opportunityNotFound,
      412: stale,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getOpportunityStages',
    method: 'get',
    path: '/crm/opportunity-stages',
    service: 'profiles',
    summary: 'The pipeline stages, with open totals',
    tags: ['Opportunities'],
    roles: SALES,
    request: {},
    responses: {
      200: json('The stages.', OpportunityStages, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
    },
    auth: 'jwt',
  },
  {
    id: 'putOpportunityStages',
    method: 'put',
    path: '/crm/opportunity-stages',
    service: 'profiles',
    summary: 'Replace the pipeline stages',
    description: 'Open opportunities in a stage no longer listed keep it until moved.',
    tags: ['Opportunities'],
    roles: ADMIN,
    request: { body: PutOpportunityStagesBody, headers: IfMatchHeader },
    responses: {
      200: json('The stages.', OpportunityStages, z.object({ ETag: VersionETag })),
      401: unauthenticated,
      403: forbidden,
      412: stale,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'putCustomerPicture',
    method: 'put',
    path: '/crm/customers/{id}/picture',
    service: 'profiles',
    summary: "Upload a customer's profile picture",
    description:
      'The bytes are checked to be PNG, JPEG or WebP whatever they claim, decoded, and stored as a WebP thumbnail of at most 256 pixels a side; `profile_picture_url` then points at it. Publishes `crm.customer.updated.v1`.',
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: UploadPictureBody, headers: IfMatchHeader },
    responses: {
      200: json('The customer with its new picture.', Customer, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      412: stale,
      413: problem('The picture is larger than allowed (code `payload_too_large`).'),
      415: problem('The bytes are not a PNG, JPEG or WebP image (code `unsupported_media_type`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomerPicture',
    method: 'get',
    path: '/crm/customers/{id}/picture',
    service: 'profiles',
    summary: "A customer's profile picture",
    tags: ['Customers'],
    roles: STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: {
        description: 'The thumbnail.',
        contentType: 'image/webp',
        schema: z.string().meta({ format: 'binary' }),
        headers: z.object({ ETag: z.string() }),
      },
      401: unauthenticated,
      403: forbidden,
      404: problem(
        'No such customer for the caller, or it has no uploaded picture (code `not_found`).',
      ),
    },
    auth: 'jwt',
  },
  {
    id: 'deleteCustomerPicture',
    method: 'delete',
    path: '/crm/customers/{id}/picture',
    service: 'profiles',
    summary: "Remove a customer's profile picture",
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, headers: IfMatchHeader },
    responses: {
      204: { description: 'Removed; `profile_picture_url` is null.' },
      401: unauthenticated,
      403: forbidden,
      404: problem(
        'No such customer for the caller, or it has no uploaded picture (code `not_found`).',
      ),
      412: stale,
    },
    auth: 'jwt',
  },
  {
    id: 'bulkSetStage',
    method: 'post',
    path: '/crm/customers/bulk/stage',
    service: 'profiles',
    summary: 'Move many customers to a lifecycle stage',
    description:
      'All or nothing for the customers the caller may change; the others are reported in `not_found`. Publishes `crm.customer.stage_changed.v1` for each that moved.',
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { body: BulkStageBody, headers: IdempotencyKeyHeader },
    responses: {
      200: json('What changed.', BulkResult),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'bulkAssign',
    method: 'post',
    path: '/crm/customers/bulk/assign',
    service: 'profiles',
    summary: 'Assign many customers to an owner or team',
    description:
      'All or nothing for the customers the caller may change; the others are reported in `not_found`. Publishes `crm.customer.assignment.changed.v1` for each that changed.',
    tags: ['Customers'],
    roles: ADMIN_MANAGER,
    request: { body: BulkAssignBody, headers: IdempotencyKeyHeader },
    responses: {
      200: json('What changed.', BulkResult),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'createCustomerImport',
    method: 'post',
    path: '/crm/customers/imports',
    service: 'profiles',
    summary: 'Import customers from a CSV file',
    description:
      'The body is the CSV itself (`Content-Type: text/csv`), the options are query parameters. The mapping is checked against the header and the custom field definitions before anything is stored (422). The file is then stored and imported in the background in batches, each committed with its progress; follow it at `Location`. Every good row goes through the same checks and events as `POST /crm/customers`; a bad row lands in the error report and never stops the others. With `dry_run=true` nothing but the report is written.',
    tags: ['Customers'],
    roles: ADMIN_MANAGER,
    request: {
      query: CreateImportQuery,
      body: ImportCsvBody,
      bodyContentType: IMPORT_CONTENT_TYPE,
      headers: IdempotencyKeyHeader,
    },
    responses: {
      202: json(
        'Stored and queued.',
        CustomerImport,
        z.object({
          Location: z.string().describe('Path of the import, `/crm/customers/imports/{id}`'),
        }),
      ),
      401: unauthenticated,
      403: forbidden,
      413: problem('The file is larger than `IMPORT_MAX_BYTES` (code `payload_too_large`).'),
      415: problem('The body is not `text/csv` (code `unsupported_media_type`).'),
      422: problem(
        'Bad options, a mapping naming an unknown field or header or missing `first_name` or a required custom field, an empty file, or a file that is not well-formed CSV (code `validation_failed`).',
      ),
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomerImports',
    method: 'get',
    path: '/crm/customers/imports',
    service: 'profiles',
    summary: 'CSV imports, newest first',
    description: 'Admins see every import of the tenant, managers their own.',
    tags: ['Customers'],
    roles: ADMIN_MANAGER,
    request: { query: ListImportsQuery },
    responses: {
      200: json('One page of imports.', CustomerImportPage),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomerImport',
    method: 'get',
    path: '/crm/customers/imports/{id}',
    service: 'profiles',
    summary: 'Status and progress of a CSV import',
    tags: ['Customers'],
    roles: ADMIN_MANAGER,
    request: { params: ImportIdParams },
    responses: {
      200: json('The import with its counts so far.', CustomerImport),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such import, or one the caller may not see (code `not_found`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomerImportErrors',
    method: 'get',
    path: '/crm/customers/imports/{id}/errors',
    service: 'profiles',
    summary: 'Per-row errors of a CSV import',
    description: 'In row order; a row can have several.',
    tags: ['Customers'],
    roles: ADMIN_MANAGER,
    request: { params: ImportIdParams, query: ListImportErrorsQuery },
    responses: {
      200: json('One page of errors.', ImportErrorPage),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such import, or one the caller may not see (code `not_found`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'exportCustomerImportErrors',
    method: 'get',
    path: '/crm/customers/imports/{id}/errors/export',
    service: 'profiles',
    summary: 'Per-row errors of a CSV import, as CSV',
    description: 'Columns `row,column,code,message`, in row order.',
    tags: ['Customers'],
    roles: ADMIN_MANAGER,
    request: { params: ImportIdParams },
    responses: {
      200: {
        description: 'The error report, streamed.',
        contentType: 'text/csv',
        schema: z.string(),
        headers: z.object({ 'Content-Disposition': z.string() }),
      },
      401: unauthenticated,
      403: forbidden,
      404: problem('No such import, or one the caller may not see (code `not_found`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'exportCustomers',
    method: 'get',
    path: '/crm/customers/export',
    service: 'profiles',
    summary: 'Export customers as CSV',
    description:
      "Streams every customer of the tenant (optionally filtered) as CSV, oldest first: the core fields, tags joined by `|`, and one `custom.<name>` column per active custom field that is not sensitive. Cells that a spreadsheet would run as a formula are prefixed with `'`. Refused with 403 where the setting `export_enabled` is off.",
    tags: ['Customers'],
    roles: ADMIN,
    request: { query: ExportCustomersQuery },
    responses: {
      200: {
        description: 'The CSV, streamed.',
        contentType: 'text/csv',
        schema: z.string(),
        headers: z.object({ 'Content-Disposition': z.string() }),
      },
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomerTimeline',
    method: 'get',
    path: '/crm/customers/{id}/timeline',
    service: 'interactions',
    summary: 'Customer timeline',
    description:
      'Everything that happened with a customer — bookings, payments, interactions, notes, tasks, messages — newest first.',
    tags: ['Timeline'],
    roles: STAFF,
    request: { params: CustomerIdParams, query: TimelineQuery },
    responses: {
      200: json('One page of timeline entries, newest first.', TimelinePage),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'exportCustomerTimeline',
    method: 'get',
    path: '/crm/customers/{id}/timeline/export',
    service: 'interactions',
    summary: 'Export a customer timeline',
    description:
      'The whole timeline the caller may see, newest first, streamed as CSV or a JSON array (`Content-Disposition: attachment`).',
    tags: ['Timeline'],
    roles: ['admin', 'manager', 'staff', 'sales_rep', 'customer'],
    request: { params: CustomerIdParams, query: TimelineExportQuery },
    responses: {
      200: { description: 'The entries, as `text/csv` or `application/json`.' },
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listInteractions',
    method: 'get',
    path: '/crm/customers/{id}/interactions',
    service: 'interactions',
    summary: "A customer's interactions",
    description: 'The interaction log, newest first; filter by type, staff member and date range.',
    tags: ['Interactions'],
    roles: STAFF,
    request: { params: CustomerIdParams, query: ListInteractionsQuery },
    responses: {
      200: json('One page of interactions.', InteractionPage),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'logInteraction',
    method: 'post',
    path: '/crm/customers/{id}/interactions',
    service: 'interactions',
    summary: 'Log an interaction',
    description:
      'Staff log a call, a walk-in, an email, a chat or a support ticket; refused with 403 when the tenant does not track that kind. Publishes `crm.interaction.recorded.v1`.',
    tags: ['Interactions'],
    roles: STAFF,
    request: { params: CustomerIdParams, body: LogInteractionBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json(
        'The interaction as stored.',
        Interaction,
        z.object({ Location: z.string(), ETag: ETag }),
      ),
      401: unauthenticated,
      403: problem('The role may not log interactions, or the tenant does not track this kind.'),
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getInteraction',
    method: 'get',
    path: '/crm/customers/{id}/interactions/{interactionId}',
    service: 'interactions',
    summary: 'One interaction',
    tags: ['Interactions'],
    roles: STAFF,
    request: { params: InteractionParams },
    responses: {
      200: json('The interaction.', Interaction, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such interaction, or one the caller may not see (code `not_found`).'),
    },
    auth: 'jwt',
  },
  {
    id: 'updateInteraction',
    method: 'patch',
    path: '/crm/customers/{id}/interactions/{interactionId}',
    service: 'interactions',
    summary: 'Edit a logged interaction',
    description: 'Only its author or an admin, only interactions logged in the CRM; audited.',
    tags: ['Interactions'],
    roles: STAFF,
    request: { params: InteractionParams, body: UpdateInteractionBody, headers: IfMatchHeader },
    responses: {
      200: json('The interaction as stored.', Interaction, z.object({ ETag })),
      401: unauthenticated,
      403: problem('Not the author (nor an admin), or an interaction recorded from BookingX.'),
      404: problem('No such interaction, or one the caller may not see (code `not_found`).'),
      412: problem('The interaction changed since the `ETag` sent (code `precondition_failed`).'),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'deleteInteraction',
    method: 'delete',
    path: '/crm/customers/{id}/interactions/{interactionId}',
    service: 'interactions',
    summary: 'Delete a logged interaction',
    description: 'Only its author or an admin, only interactions logged in the CRM; audited.',
    tags: ['Interactions'],
    roles: STAFF,
    request: { params: InteractionParams },
    responses: {
      204: { description: 'Deleted, with its timeline entry.' },
      401: unauthenticated,
      403: problem('Not the author (nor an admin), or an interaction recorded from BookingX.'),
      404: problem('No such interaction, or one the caller may not see (code `not_found`).'),
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomerEngagement',
    method: 'get',
    path: '/crm/customers/{id}/engagement',
    service: 'interactions',
    summary: 'Engagement signals of a customer',
    description:
      'Counts of email opens and clicks, replies, website visits and bookings, which analytics scores.',
    tags: ['Interactions'],
    roles: STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: json('The engagement record.', Engagement),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
  {
    id: 'getTrackingSettings',
    method: 'get',
    path: '/crm/interactions/settings',
    service: 'interactions',
    summary: 'Tracking settings',
    description:
      'The spec settings `track_bookings`, `track_emails`, `track_sms`, `track_calls`, `track_website_visits`, and the public tracking key.',
    tags: ['Interactions'],
    roles: ADMIN,
    request: {},
    responses: {
      200: json('The settings of the caller’s tenant.', TrackingSettings),
      401: unauthenticated,
      403: forbidden,
    },
    auth: 'jwt',
  },
  {
    id: 'updateTrackingSettings',
    method: 'patch',
    path: '/crm/interactions/settings',
    service: 'interactions',
    summary: 'Change tracking settings',
    tags: ['Interactions'],
    roles: ADMIN,
    request: { body: UpdateTrackingSettingsBody },
    responses: {
      200: json('The settings as stored.', TrackingSettings),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'rotateIngestSecret',
    method: 'post',
    path: '/crm/interactions/settings/ingest-secret',
    service: 'interactions',
    summary: 'Create or rotate the ingest secret',
    description:
      'Returns a new secret once; the previous one stops working at once. Also returns the public tracking key.',
    tags: ['Interactions'],
    roles: ADMIN,
    request: {},
    responses: {
      201: json('The new credentials.', IngestCredentials),
      401: unauthenticated,
      403: forbidden,
    },
    auth: 'jwt',
  },
  {
    id: 'ingestBookingx',
    method: 'post',
    path: '/crm/ingest/bookingx',
    service: 'interactions',
    summary: 'BookingX events over HTTP',
    description:
      'For BookingX sites without a broker: up to 500 CloudEvents per request, signed with the tenant’s ingest secret — header `X-BookingX-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, `X-BookingX-Timestamp` (Unix seconds, at most five minutes off) and `X-BookingX-Tenant`. Each event id is accepted once; the batch is refused whole if one event is invalid.',
    tags: ['Ingest'],
    roles: [],
    request: {
      body: IngestBatch,
      headers: z.object({
        'x-bookingx-tenant': z.uuid(),
        'x-bookingx-timestamp': z.string().regex(/^\d+$/),
        'x-bookingx-signature': z.string().max(1000),
      }),
    },
    responses: {
      202: json('Accepted; the events are published to the bus.', IngestResult),
      401: problem(
        'Missing or wrong signature, unknown tenant, or a timestamp more than five minutes off.',
      ),
      413: problem('More than the body limit.'),
      422: invalid,
    },
    auth: 'signature',
  },
  {
    id: 'trackPageView',
    method: 'post',
    path: '/crm/track',
    service: 'interactions',
    summary: 'Record a page view',
    description:
      'Called by the booking site with its public tracking key. A view is tied to a customer only with a valid identity token carrying `consent: true`; otherwise it stays anonymous. Rate-limited per key and address.',
    tags: ['Ingest'],
    roles: [],
    request: { body: TrackBody },
    responses: {
      202: json('Recorded.', TrackResult),
      401: problem('Unknown tracking key (code `unauthenticated`).'),
      403: problem('The tenant does not track website visits (code `forbidden`).'),
      422: invalid,
      429: problem('Too many page views from this address (code `rate_limited`).'),
    },
    auth: 'tracking_key',
  },
  {
    id: 'listDeadLetters',
    method: 'get',
    path: '/crm/admin/services/{service}/dead-letters',
    service: SERVICE_FROM_PATH,
    summary: 'List dead-lettered events',
    description:
      'Events the service gave up on after its delivery limit, newest first, with the reason of the last failure.',
    tags: ['Admin'],
    roles: ADMIN,
    request: { params: DeadLetterListParams, query: PageQuery },
    responses: {
      200: json('One page of dead letters.', DeadLetterPage),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'replayDeadLetter',
    method: 'post',
    path: '/crm/admin/services/{service}/dead-letters/{id}/replay',
    service: SERVICE_FROM_PATH,
    summary: 'Replay a dead-lettered event',
    description:
      "Puts the event back on the service's queue unchanged; its consumers are idempotent, so an event that had partly taken effect is safe to replay.",
    tags: ['Admin'],
    roles: ADMIN,
    request: { params: DeadLetterParams, headers: IdempotencyKeyHeader },
    responses: {
      202: json('The event is queued again; `replayed_at` is set.', DeadLetter),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such dead letter in this service (code `not_found`).'),
      409: problem(
        'The dead letter was already replayed (code `conflict`), or the `Idempotency-Key` was used with another request (code `idempotency_conflict`).',
      ),
    },
    auth: 'jwt',
  },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof ROUTES)[number];
export type RouteId = Route['id'];

export function getRoute<I extends RouteId>(id: I): Extract<Route, { id: I }> {
  const route = ROUTES.find((r): r is Extract<Route, { id: I }> => r.id === id);
  if (route === undefined) throw new Error(`No route ${id}`);
  return route;
}

export interface RouteMatch<R extends RouteDefinition = Route> {
  route: R;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  /** The upstream that serves the request, resolved from the path where the route says so. */
  service: ServiceName;
}

export interface RouteMatcher<R extends RouteDefinition = Route> {
  match(method: string, path: string): RouteMatch<R> | undefined;
  allowedMethods(path: string): HttpMethod[];
}

interface CompiledRoute<R extends RouteDefinition> {
  route: R;
  pattern: RegExp;
  paramNames: string[];
  /** Per segment 0 for a literal, 1 for a parameter: literal segments sort, and so match, first. */
  rank: number[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An enum parameter matches only its values, so `/admin/services/nope/...` is no route at all. */
function paramPattern(route: RouteDefinition, name: string): string {
  // The shape is typed loosely (any) by zod; `unknown` forces the check below.
  const schema: unknown = route.request.params?.shape[name];
  if (schema instanceof z.ZodEnum) {
    return `(${schema.options.map((o) => escapeRegExp(String(o))).join('|')})`;
  }
  return '([^/]+)';
}

function compile<R extends RouteDefinition>(route: R): CompiledRoute<R> {
  const paramNames: string[] = [];
  const rank: number[] = [];
  const parts = route.path
    .split('/')
    .slice(1)
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1] !== undefined) {
        paramNames.push(param[1]);
        rank.push(1);
        return paramPattern(route, param[1]);
      }
      rank.push(0);
      return escapeRegExp(segment);
    });
  return { route, pattern: new RegExp(`^/${parts.join('/')}/?$`), paramNames, rank };
}

function compareRank(a: { rank: number[] }, b: { rank: number[] }): number {
  const length = Math.min(a.rank.length, b.rank.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.rank.length - b.rank.length;
}

function stripQuery(path: string): string {
  const q = path.search(/[?#]/);
  return q === -1 ? path : path.slice(0, q);
}

function extract(
  compiled: CompiledRoute<RouteDefinition>,
  path: string,
): Record<string, string> | undefined {
  const m = compiled.pattern.exec(path);
  if (m === null) return undefined;
  const params: Record<string, string> = {};
  try {
    compiled.paramNames.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
  } catch {
    // A malformed percent-escape names no resource.
    return undefined;
  }
  return params;
}

function upstreamOf(
  route: RouteDefinition,
  params: Record<string, string>,
): ServiceName | undefined {
  if (route.service !== SERVICE_FROM_PATH) return route.service;
  const named = params.service;
  return named !== undefined && isBackendService(named) ? named : undefined;
}

/** Compiles the paths of `routes` once; the gateway matches every request against the result. */
export function createRouteMatcher<R extends RouteDefinition>(
  routes: readonly R[],
): RouteMatcher<R> {
  const compiled = routes.map((route) => compile(route)).sort(compareRank);
  return {
    match(method, path) {
      const verb = method.toLowerCase();
      const bare = stripQuery(path);
      for (const entry of compiled) {
        if (entry.route.method !== verb) continue;
        const params = extract(entry, bare);
        if (params === undefined) continue;
        const service = upstreamOf(entry.route, params);
        if (service === undefined) continue;
        return { route: entry.route, params, service };
      }
      return undefined;
    },
    allowedMethods(path) {
      const bare = stripQuery(path);
      const methods = new Set<HttpMethod>();
      for (const entry of compiled) {
        if (extract(entry, bare) !== undefined) methods.add(entry.route.method);
      }
      return HTTP_METHODS.filter((m) => methods.has(m));
    },
  };
}

const MATCHER = createRouteMatcher(ROUTES);

/**
 * The route serving a concrete request path such as `/crm/customers/0190…` (query string
 * ignored), with its decoded path parameters and upstream service; undefined when none.
 */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  return MATCHER.match(method, path);
}

/** Methods some route serves at this path: the `Allow` header of a 405. */
export function allowedMethods(path: string): HttpMethod[] {
  return MATCHER.allowedMethods(path);
}
