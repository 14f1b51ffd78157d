import { z } from 'zod';
import * as http from '../common.js';
import {
  CreateCustomerBody,
  Customer,
  CustomerIdParams,
  CustomerPage,
  ExportCustomersQuery,
  ListCustomersQuery,
  QueryCustomersBody,
  ReplaceCustomerBody,
  UpdateCustomerBody,
} from './customers.js';
import {
  BulkAssignBody,
  BulkResult,
  BulkStageBody,
  LifecycleStages,
  PutLifecycleStagesBody,
} from './tags.js';

/** What a change of a customer's fields answers, for PATCH and PUT alike. */
const customerChanged = {
  200: http.json('The customer after the change.', Customer, z.object({ ETag: http.ETag })),
  ...http.guardedInput,
  404: http.customerNotFound,
  412: http.problem(
    'The customer changed since the `If-Match` version was read (code `precondition_failed`).',
  ),
};

export const customersRoutes = {
  createCustomer: {
    id: 'createCustomer',
    method: 'post',
    path: '/crm/customers',
    service: 'profiles',
    summary: 'Create a customer',
    description:
      'Creates a customer profile with a new time-ordered id and publishes `crm.customer.created.v1`.',
    tags: ['Customers'],
    roles: http.CUSTOMER_EDITORS,
    request: { body: CreateCustomerBody, headers: http.IdempotencyKeyHeader },
    responses: {
      201: http.json(
        'The customer as stored.',
        Customer,
        z.object({
          Location: z.string().describe('Path of the new customer, `/crm/customers/{id}`'),
          ETag: http.ETag,
        }),
      ),
      ...http.guardedInput,
      409: http.problem(
        'Another customer of the tenant has this email or external reference (code `conflict`), or the `Idempotency-Key` was used with another body (code `idempotency_conflict`).',
      ),
    },
    auth: 'jwt',
  },
  listCustomers: {
    id: 'listCustomers',
    method: 'get',
    path: '/crm/customers',
    service: 'profiles',
    summary: 'List customers',
    description:
      'Customers the caller may see, one page at a time, optionally narrowed by `filter` (the filter language, URL-encoded JSON; see docs/filter-language.md).',
    tags: ['Customers'],
    roles: http.STAFF,
    request: { query: ListCustomersQuery },
    responses: {
      200: http.json('One page of customers.', CustomerPage),
      400: http.problem('`filter` is not JSON (code `bad_request`).'),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
  queryCustomers: {
    id: 'queryCustomers',
    method: 'post',
    path: '/crm/customers/query',
    service: 'profiles',
    summary: 'List customers with a filter in the body',
    description:
      'The same list as `GET /crm/customers`, for filters too long for a URL: the filter (see docs/filter-language.md), sort, limit and cursor in the body; a bad leaf is a 422 naming `filter.<path>`. A read: nothing changes.',
    tags: ['Customers'],
    roles: http.STAFF,
    request: { body: QueryCustomersBody },
    responses: {
      200: http.json('One page of customers.', CustomerPage),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
  getCustomer: {
    id: 'getCustomer',
    method: 'get',
    path: '/crm/customers/{id}',
    service: 'profiles',
    summary: 'Get a customer',
    tags: ['Customers'],
    roles: http.STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: http.json('The customer.', Customer, z.object({ ETag: http.ETag })),
      ...http.guarded,
      404: http.customerNotFound,
    },
    auth: 'jwt',
  },
  updateCustomer: {
    id: 'updateCustomer',
    method: 'patch',
    path: '/crm/customers/{id}',
    service: 'profiles',
    summary: 'Update a customer',
    description:
      'Changes the fields sent and leaves the others as they are; `null` clears a nullable field. Publishes `crm.customer.updated.v1`.',
    tags: ['Customers'],
    roles: http.CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: UpdateCustomerBody, headers: http.IfMatchHeader },
    responses: customerChanged,
    auth: 'jwt',
  },
  replaceCustomer: {
    id: 'replaceCustomer',
    method: 'put',
    path: '/crm/customers/{id}',
    service: 'profiles',
    summary: 'Replace a customer',
    description:
      'Rewrites every writable field: the fields required on create are required, and a field left out is reset — to null, an empty list (`phones`, custom field values), or its create default (`last_name` empty, `customer_status` active, the default stage, `vip_status` and `do_not_contact` false, empty `preferences`). `owner_id`, `team_id` and `collaborator_ids` change only when sent (admins and managers). Publishes `crm.customer.updated.v1`, as `PATCH` does.',
    tags: ['Customers'],
    roles: http.CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: ReplaceCustomerBody, headers: http.IfMatchHeader },
    responses: customerChanged,
    auth: 'jwt',
  },
  getLifecycleStages: {
    id: 'getLifecycleStages',
    method: 'get',
    path: '/crm/lifecycle-stages',
    service: 'profiles',
    summary: "The tenant's lifecycle stages",
    description: 'In pipeline order; a tenant that never set its own list gets the default one.',
    tags: ['Customers'],
    roles: http.STAFF,
    request: {},
    responses: {
      200: http.json('The stages.', LifecycleStages, z.object({ ETag: http.VersionETag })),
      ...http.guarded,
    },
    auth: 'jwt',
  },
  putLifecycleStages: {
    id: 'putLifecycleStages',
    method: 'put',
    path: '/crm/lifecycle-stages',
    service: 'profiles',
    summary: "Replace the tenant's lifecycle stages",
    description:
      'The list must hold the default stage of new customers. Customers keep a stage removed from the list until they are moved; a stage key may not be repeated.',
    tags: ['Customers'],
    roles: http.ADMIN,
    request: { body: PutLifecycleStagesBody, headers: http.IfMatchHeader },
    responses: {
      200: http.json(
        'The stages as stored.',
        LifecycleStages,
        z.object({ ETag: http.VersionETag }),
      ),
      ...http.guardedInput,
      412: http.stale,
    },
    auth: 'jwt',
  },
  bulkSetStage: {
    id: 'bulkSetStage',
    method: 'post',
    path: '/crm/customers/bulk/stage',
    service: 'profiles',
    summary: 'Move many customers to a lifecycle stage',
    description:
      'All or nothing for the customers the caller may change; the others are reported in `not_found`. Publishes `crm.customer.stage_changed.v1` for each that moved.',
    tags: ['Customers'],
    roles: http.CUSTOMER_EDITORS,
    request: { body: BulkStageBody, headers: http.IdempotencyKeyHeader },
    responses: {
      200: http.json('What changed.', BulkResult),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
  bulkAssign: {
    id: 'bulkAssign',
    method: 'post',
    path: '/crm/customers/bulk/assign',
    service: 'profiles',
    summary: 'Assign many customers to an owner or team',
    description:
      'All or nothing for the customers the caller may change; the others are reported in `not_found`. Publishes `crm.customer.assignment.changed.v1` for each that changed.',
    tags: ['Customers'],
    roles: http.ADMIN_MANAGER,
    request: { body: BulkAssignBody, headers: http.IdempotencyKeyHeader },
    responses: {
      200: http.json('What changed.', BulkResult),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
  exportCustomers: {
    id: 'exportCustomers',
    method: 'get',
    path: '/crm/customers/export',
    service: 'profiles',
    summary: 'Export customers as CSV',
    description:
      "Streams every customer of the tenant (optionally filtered) as CSV, oldest first: the core fields, tags joined by `|`, and one `custom.<name>` column per active custom field that is not sensitive. Cells that a spreadsheet would run as a formula are prefixed with `'`. Refused with 403 where the setting `export_enabled` is off.",
    tags: ['Customers'],
    roles: http.ADMIN,
    request: { query: ExportCustomersQuery },
    responses: {
      200: {
        description: 'The CSV, streamed.',
        contentType: 'text/csv',
        schema: z.string(),
        headers: z.object({ 'Content-Disposition': z.string() }),
      },
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
