import * as http from '../common.js';
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
    roles: http.STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: http.json('The current consent.', ConsentState),
      ...http.guarded,
      404: http.customerNotFound,
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
    roles: http.CUSTOMER_EDITORS,
    request: {
      params: CustomerIdParams,
      body: RecordConsentBody,
      headers: http.IdempotencyKeyHeader,
    },
    responses: {
      201: http.json('The record.', ConsentRecord),
      ...http.guardedInput,
      404: http.customerNotFound,
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
    roles: http.STAFF,
    request: { params: CustomerIdParams, query: ConsentHistoryQuery },
    responses: {
      200: http.json('One page of records.', ConsentHistoryPage),
      ...http.guardedInput,
      404: http.customerNotFound,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
