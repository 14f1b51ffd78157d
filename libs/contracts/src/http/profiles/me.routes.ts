import { z } from 'zod';
import * as http from '../common.js';
import { ConsentRecord, ConsentState, Me, RecordMyConsentBody, UpdateMeBody } from './consent.js';

export const meRoutes = {
  getMe: {
    id: 'getMe',
    method: 'get',
    path: '/crm/me',
    service: 'profiles',
    summary: 'My profile',
    description: 'For the customer role: the fields of their own profile a customer sees.',
    tags: ['Self-service'],
    roles: http.CUSTOMER,
    request: {},
    responses: {
      200: http.json('The profile.', Me, z.object({ ETag: http.ETag })),
      ...http.guarded,
      404: http.problem('The token names no customer of the tenant (code `not_found`).'),
    },
    auth: 'jwt',
  },
  updateMe: {
    id: 'updateMe',
    method: 'patch',
    path: '/crm/me',
    service: 'profiles',
    summary: 'Change my profile',
    description:
      'Only the fields a customer may change; any other field — including ones staff may change, such as `customer_stage` or `email` — is refused with 422 naming it. Publishes `crm.customer.updated.v1`.',
    tags: ['Self-service'],
    roles: http.CUSTOMER,
    request: { body: UpdateMeBody, headers: http.IfMatchHeader },
    responses: {
      200: http.json('The profile after the change.', Me, z.object({ ETag: http.ETag })),
      ...http.guardedInput,
      404: http.problem('The token names no customer of the tenant (code `not_found`).'),
      412: http.stale,
    },
    auth: 'jwt',
  },
  getMyConsent: {
    id: 'getMyConsent',
    method: 'get',
    path: '/crm/me/consent',
    service: 'profiles',
    summary: 'My consent',
    tags: ['Self-service'],
    roles: http.CUSTOMER,
    request: {},
    responses: {
      200: http.json('The current consent.', ConsentState),
      ...http.guarded,
      404: http.problem('The token names no customer of the tenant (code `not_found`).'),
    },
    auth: 'jwt',
  },
  recordMyConsent: {
    id: 'recordMyConsent',
    method: 'post',
    path: '/crm/me/consent',
    service: 'profiles',
    summary: 'Give or withdraw my consent',
    description:
      'Appends to the ledger with source `self_service` and publishes `crm.consent.changed.v1`.',
    tags: ['Self-service'],
    roles: http.CUSTOMER,
    request: { body: RecordMyConsentBody, headers: http.IdempotencyKeyHeader },
    responses: {
      201: http.json('The record.', ConsentRecord),
      ...http.guardedInput,
      404: http.problem('The token names no customer of the tenant (code `not_found`).'),
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
