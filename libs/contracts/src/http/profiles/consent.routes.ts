import {
  CUSTOMER_EDITORS,
  IdempotencyKeyHeader,
  STAFF,
  customerNotFound,
  guarded,
  guardedInput,
  json,
  type RouteDefinition,
} from '../common.js';
import { CustomerIdParams } from './customers.js';
import {
  ConsentHistoryPage,
  ConsentHistoryQuery,
  ConsentRecord,
  ConsentState,
  RecordConsentBody,
} from './consent.js';

export const consentRoutes = {
  getCustomerConsent: {
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
      ...guarded,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
  recordCustomerConsent: {
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
      ...guardedInput,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
  listCustomerConsentHistory: {
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
      ...guardedInput,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, RouteDefinition>;
