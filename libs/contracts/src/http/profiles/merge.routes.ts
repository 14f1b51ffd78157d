import { z } from 'zod';
import * as http from '../common.js';
import { Customer, CustomerIdParams } from './customers.js';
import { DuplicateList, MergeCustomersBody } from './merge.js';

export const mergeRoutes = {
  listCustomerDuplicates: {
    id: 'listCustomerDuplicates',
    method: 'get',
    path: '/crm/customers/{id}/duplicates',
    service: 'profiles',
    summary: 'Likely duplicates of a customer',
    description:
      'Customers the caller may see with the same email (score 1), the same phone (0.9) or a similar name (up to 0.6), best first.',
    tags: ['Customers'],
    roles: http.CUSTOMER_EDITORS,
    request: { params: CustomerIdParams },
    responses: {
      200: http.json('The suggestions.', DuplicateList),
      ...http.guarded,
      404: http.customerNotFound,
    },
    auth: 'jwt',
  },
  mergeCustomers: {
    id: 'mergeCustomers',
    method: 'post',
    path: '/crm/customers/{id}/merge',
    service: 'profiles',
    summary: 'Merge customers into this one',
    description:
      'The customer in the path survives with its id and takes, field by field, the values chosen; tags, collaborators, custom field values, external references and consent move to it. Reading a merged id afterwards answers with the survivor. Publishes `crm.customer.merged.v1` (every service re-keys its rows) and `crm.customer.updated.v1` for the survivor.',
    tags: ['Customers'],
    roles: http.ADMIN_MANAGER,
    request: { params: CustomerIdParams, body: MergeCustomersBody, headers: http.IfMatchHeader },
    responses: {
      200: http.json('The survivor after the merge.', Customer, z.object({ ETag: http.ETag })),
      ...http.guardedInput,
      404: http.problem(
        'The survivor or a merged customer does not exist for the caller (code `not_found`).',
      ),
      412: http.problem(
        'The survivor changed since the `If-Match` version was read (code `precondition_failed`).',
      ),
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
