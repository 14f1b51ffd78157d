import {
  CUSTOMER_EDITABLE_FIELDS,
  CustomerWritable,
  type Customer,
  type FieldError,
  type Me,
} from '@crm/contracts';
import { AppError } from '@crm/service-kit';

const EDITABLE = new Set<string>(CUSTOMER_EDITABLE_FIELDS);
const KNOWN = new Set<string>([
  ...Object.keys(CustomerWritable.shape),
  'custom_fields',
  'tags',
  'email',
]);

/**
 * Fields of a profile that only staff change (stage, status, owner, tags, email, …) are
 * refused by name, so a customer learns why rather than seeing them silently ignored.
 */
export function refuseStaffOnlyFields(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const errors: FieldError[] = Object.keys(body)
    .filter((key) => KNOWN.has(key) && !EDITABLE.has(key))
    .map((key) => ({
      field: key,
      code: 'not_editable_by_customer',
      message: `${key} is changed by staff, not through /me`,
    }));
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'Some fields are not yours to change', errors);
  }
}

export function toMeDto(c: Customer): Me {
  return {
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    email: c.email,
    phone: c.phone,
    phones: c.phones ?? [],
    timezone: c.timezone,
    locale: c.locale ?? null,
    address: c.address ?? null,
    preferences: c.preferences ?? {
      favorite_services: [],
      favorite_staff: [],
      preferred_times_of_day: [],
      preferred_days: [],
      notes: null,
    },
    preferred_contact_method: c.preferred_contact_method,
    preferred_contact_time: c.preferred_contact_time,
    birthday: c.birthday,
    anniversary: c.anniversary,
    company_name: c.company_name,
    job_title: c.job_title,
    website: c.website,
    linkedin_url: c.linkedin_url,
    facebook_url: c.facebook_url,
    instagram_url: c.instagram_url,
    twitter_url: c.twitter_url,
    do_not_contact: c.do_not_contact,
    version: c.version,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}
