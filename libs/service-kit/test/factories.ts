import { randomInt } from 'node:crypto';
import {
  bookingxCustomerId,
  makeEvent,
  newId,
  type Customer,
  type EventPayload,
  type TypedEvent,
} from '@crm/contracts';

export function buildCustomer(overrides: Partial<Customer> = {}): Customer {
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

export interface EventOverrides {
  id?: string;
  tenantId?: string;
}

export function buildCustomerEvent(
  overrides: EventOverrides & { customer?: Partial<Customer> } = {},
): TypedEvent<'crm.customer.created.v1'> {
  const tenantId = overrides.tenantId ?? overrides.customer?.tenant_id ?? newId();
  const customer = buildCustomer({ ...overrides.customer, tenant_id: tenantId });
  return makeEvent({
    id: overrides.id,
    type: 'crm.customer.created.v1',
    source: 'crm/kit-test',
    tenantId,
    subject: customer.id,
    sequence: customer.version,
    data: { customer },
  });
}

type BookingxCustomer = EventPayload<'bookingx.customer.created.v1'>['customer'];

export function buildBookingxCustomerEvent(
  overrides: EventOverrides & { customer?: Partial<BookingxCustomer> } = {},
): TypedEvent<'bookingx.customer.created.v1'> {
  const tenantId = overrides.tenantId ?? newId();
  const bookingxId = String(randomInt(1, 1_000_000_000));
  const customer: BookingxCustomer = {
    bookingx_id: bookingxId,
    first_name: 'Grace',
    last_name: 'Hopper',
    email: `grace.${bookingxId}@example.com`,
    ...overrides.customer,
  };
  return makeEvent({
    id: overrides.id,
    type: 'bookingx.customer.created.v1',
    source: 'bookingx/wordpress',
    tenantId,
    subject: bookingxCustomerId(tenantId, customer.bookingx_id),
    data: { customer },
  });
}
