import * as http from '../common.js';
import { CustomerIdParams } from './customers.js';
import { CustomerErasure, EraseCustomerBody } from './erasure.js';

export const erasureRoutes = {
  eraseCustomer: {
    id: 'eraseCustomer',
    method: 'post',
    path: '/crm/customers/{id}/erase',
    service: 'profiles',
    summary: 'Erase a customer (right to erasure)',
    description:
      "Destroys the customer's data key, so every value sealed with it (sensitive custom fields in stored rows, events and backups; the customer's audit values) becomes unreadable, and deletes the profile with its tags, custom values, phones, external references, relationships, picture, collaborators, opportunities and search entry, all in one transaction. The hash-chained audit trail and the consent ledger keep their rows. A tombstone keeps the id from being filled again by a later BookingX event. Publishes `crm.customer.erased.v1`; the customer answers 404 afterwards. Erasing an erased customer again answers 200 with `already_erased`.",
    tags: ['Customers'],
    roles: http.ADMIN,
    request: { params: CustomerIdParams, body: EraseCustomerBody },
    responses: {
      200: http.json('The customer is erased.', CustomerErasure),
      ...http.guardedInput,
      404: http.problem('No such customer in the tenant, and none erased (code `not_found`).'),
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
