import { randomInt, randomUUID } from 'node:crypto';
import { newId, type Customer } from '@crm/contracts';
import type { ApiClient, ApiResponse } from './http.js';

let counter = 1000;

/** A body for `POST /crm/customers`: unique name and email, overridable field by field. */
export function buildCustomer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    first_name: 'Ada',
    last_name: `Lovelace${counter}`,
    email: `ada.${counter}.${randomUUID().slice(0, 6)}@example.com`,
    phone: '+49 30 901820',
    timezone: 'Europe/Berlin',
    ...overrides,
  };
}

/** Creates a customer through the API (the client carries the token); fails unless 201. */
export async function createCustomer(
  client: ApiClient,
  overrides: Record<string, unknown> = {},
): Promise<Customer> {
  const r: ApiResponse<Customer> = await client.post<Customer>(
    '/crm/customers',
    buildCustomer(overrides),
  );
  if (r.status !== 201) {
    throw new Error(`creating a customer answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
  return r.body;
}

/** A whole customer as the profiles service sends it in responses and events. */
export function buildCustomerRecord(overrides: Partial<Customer> = {}): Customer {
  const now = new Date().toISOString();
  const n = randomInt(1_000_000);
  return {
    id: newId(),
    tenant_id: newId(),
    first_name: 'Ada',
    last_name: `Lovelace ${n}`,
    email: `ada.${n}@example.com`,
    phone: '+4915112345678',
    timezone: 'Europe/Berlin',
    locale: 'de-DE',
    address: null,
    preferences: {
      favorite_services: [],
      favorite_staff: [],
      preferred_times_of_day: [],
      preferred_days: [],
      notes: null,
    },
    profile_picture_url: null,
    company_name: null,
    job_title: null,
    website: null,
    linkedin_url: null,
    facebook_url: null,
    instagram_url: null,
    twitter_url: null,
    preferred_contact_method: 'email',
    preferred_contact_time: null,
    birthday: '1990-12-10',
    anniversary: null,
    referral_source: null,
    customer_status: 'active',
    customer_stage: 'lead',
    vip_status: false,
    do_not_contact: false,
    owner_id: null,
    team_id: null,
    collaborator_ids: [],
    tags: [],
    external_refs: [],
    source: 'crm',
    version: 1,
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}
