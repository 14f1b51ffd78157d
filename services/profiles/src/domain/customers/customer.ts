import {
  EMPTY_PREFERENCES,
  type Address,
  type Customer,
  type CustomerPhone,
  type CustomFieldValue,
} from '@crm/contracts';
import type { CustomerRow } from '../../db/schema.js';

/** A customer row with what lives in its side tables. */
export interface CustomerRecord {
  row: CustomerRow;
  refs: { system: 'bookingx'; externalId: string }[];
  tags: string[];
  collaborators: string[];
  /** The primary first; `row.phone` holds the primary's number. */
  phones: CustomerPhone[];
  /** Values of active custom fields by field name. */
  customFields: Record<string, CustomFieldValue>;
}

export function recordOf(row: CustomerRow, extra: Partial<CustomerRecord> = {}): CustomerRecord {
  return { row, refs: [], tags: [], collaborators: [], phones: [], customFields: {}, ...extra };
}

function addressOf(row: CustomerRow): Address | null {
  const address: Address = {
    line1: row.addressLine1,
    line2: row.addressLine2,
    city: row.city,
    region: row.region,
    postal_code: row.postalCode,
    country: row.country,
  };
  return Object.values(address).every((v) => v === null) ? null : address;
}

/** The only way a customer leaves the service: explicit, so no column leaks. */
export function toCustomerDto({
  row,
  refs,
  tags,
  collaborators,
  phones,
  customFields,
}: CustomerRecord): Customer {
  return {
    id: row.id,
    tenant_id: row.tenantId,
    first_name: row.firstName,
    last_name: row.lastName,
    email: row.email,
    phone: row.phone,
    phones: phones.map((p) => ({ ...p })),
    timezone: row.timezone,
    locale: row.locale,
    address: addressOf(row),
    preferences: { ...EMPTY_PREFERENCES, ...row.preferences },
    profile_picture_url: row.profilePictureUrl,
    company_name: row.companyName,
    job_title: row.jobTitle,
    website: row.website,
    linkedin_url: row.linkedinUrl,
    facebook_url: row.facebookUrl,
    instagram_url: row.instagramUrl,
    twitter_url: row.twitterUrl,
    preferred_contact_method: row.preferredContactMethod as Customer['preferred_contact_method'],
    preferred_contact_time: row.preferredContactTime,
    birthday: row.birthday,
    anniversary: row.anniversary,
    referral_source: row.referralSource,
    customer_status: row.customerStatus as Customer['customer_status'],
    customer_stage: row.customerStage,
    vip_status: row.vipStatus,
    do_not_contact: row.doNotContact,
    owner_id: row.ownerId,
    team_id: row.teamId,
    collaborator_ids: [...collaborators].sort(),
    tags: [...tags].sort((a, b) => a.localeCompare(b)),
    custom_fields: Object.fromEntries(
      Object.entries(customFields).sort(([a], [b]) => a.localeCompare(b)),
    ),
    external_refs: refs.map((r) => ({ system: r.system, external_id: r.externalId })),
    source: row.source === 'bookingx' ? 'bookingx' : 'crm',
    last_booking_at: row.lastBookingAt?.toISOString() ?? null,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

// The last booking follows the booking facts: a projection, not a change to the profile.
const IGNORED = new Set<keyof Customer>([
  'version',
  'updated_at',
  'external_refs',
  'last_booking_at',
]);

/**
 * Names of the API fields whose value differs between two views of a customer; a custom
 * field also names itself as `custom_fields.<name>`, so a consumer can tell which one moved.
 */
export function changedFields(before: Customer, after: Customer): string[] {
  const changed: string[] = (Object.keys(after) as (keyof Customer)[]).filter(
    (k) => !IGNORED.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  if (changed.includes('custom_fields')) {
    const a = before.custom_fields ?? {};
    const b = after.custom_fields ?? {};
    for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (JSON.stringify(a[name]) !== JSON.stringify(b[name]))
        changed.push(`custom_fields.${name}`);
    }
  }
  return changed;
}
