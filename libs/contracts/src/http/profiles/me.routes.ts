import { z } from 'zod';
import {
  CUSTOMER,
  ETag,
  IdempotencyKeyHeader,
  IfMatchHeader,
  guarded,
  guardedInput,
  json,
  problem,
  stale,
  type RouteDefinition,
} from '../common.js';
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
    roles: CUSTOMER,
    request: {},
    responses: {
      200: json('The profile.', Me, z.object({ ETag })),
      ...guarded,
      404: problem('The token names no customer of the tenant (code `not_found`).'),
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
    roles: CUSTOMER,
    request: { body: UpdateMeBody, headers: IfMatchHeader },
    responses: {
      200: json('The profile after the change.', Me, z.object({ ETag })),
      ...guardedInput,
      404: problem('The token names no customer of the tenant (code `not_found`).'),
      412: stale,
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
    roles: CUSTOMER,
    request: {},
    responses: {
      200: json('The current consent.', ConsentState),
      ...guarded,
      404: problem('The token names no customer of the tenant (code `not_found`).'),
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
    roles: CUSTOMER,
    request: { body: RecordMyConsentBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json('The record.', ConsentRecord),
      ...guardedInput,
      404: problem('The token names no customer of the tenant (code `not_found`).'),
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, RouteDefinition>;
