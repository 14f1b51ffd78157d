import type { Customer } from '@crm/contracts';
import type { CustomerRow } from '../../db/schema.js';

export interface CustomerWithRefs {
  row: CustomerRow;
  refs: { system: 'bookingx'; externalId: string }[];
}

/** The only way a customer leaves the service: explicit, so no column leaks. */
export function toCustomerDto({ row, refs }: CustomerWithRefs): Customer {
  return {
    id: row.id,
    tenant_id: row.tenantId,
    first_name: row.firstName,
    last_name: row.lastName,
    email: row.email,
    phone: row.phone,
    timezone: row.timezone,
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
    external_refs: refs.map((r) => ({ system: r.system, external_id: r.externalId })),
    source: row.source === 'bookingx' ? 'bookingx' : 'crm',
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Accepts `"3"`, `W/"3"` or a list; returns the versions named. */
export function versionsFromIfMatch(header: string): number[] {
  return header
    .split(',')
    .map((part) => /^\s*(?:W\/)?"(\d+)"\s*$/.exec(part)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
}
