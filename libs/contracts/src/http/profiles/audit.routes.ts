import * as http from '../common.js';
import { CustomerIdParams } from './customers.js';
import { AuditPage, ListAuditQuery } from './audit.js';

export const auditRoutes = {
  listCustomerAudit: {
    id: 'listCustomerAudit',
    method: 'get',
    path: '/crm/customers/{id}/audit',
    service: 'profiles',
    summary: "A customer's audit trail",
    description:
      'Every change to the profile, newest first: who, when, which field, old and new value (sensitive fields masked) and the route or event that made it. The trail is append-only and hash-chained per tenant.',
    tags: ['Customers'],
    roles: http.ADMIN,
    request: { params: CustomerIdParams, query: ListAuditQuery },
    responses: {
      200: http.json('One page of changes.', AuditPage),
      ...http.guardedInput,
      404: http.customerNotFound,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
