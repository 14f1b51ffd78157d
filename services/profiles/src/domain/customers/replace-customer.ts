import { type Customer, type ReplaceCustomerBody, type UpdateCustomerBody } from '@crm/contracts';
import { type Principal } from '@crm/service-kit';
import { patchCustomer } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';

/**
 * A replacement as the changes it makes: every field left out set to null, an empty list or
 * its create default. Assignment is changed only where sent, since it is not the profile's.
 */
function replacementOf(body: ReplaceCustomerBody, defaultStage: string): UpdateCustomerBody {
  const phones =
    body.phones ??
    (body.phone === undefined || body.phone === null ? [] : [{ number: body.phone }]);
  return {
    ...body,
    phone: undefined,
    phones,
    email: body.email ?? null,
    timezone: body.timezone ?? null,
    locale: body.locale ?? null,
    address: body.address ?? null,
    preferences: body.preferences ?? {},
    profile_picture_url: body.profile_picture_url ?? null,
    company_name: body.company_name ?? null,
    job_title: body.job_title ?? null,
    website: body.website ?? null,
    linkedin_url: body.linkedin_url ?? null,
    facebook_url: body.facebook_url ?? null,
    instagram_url: body.instagram_url ?? null,
    twitter_url: body.twitter_url ?? null,
    preferred_contact_method: body.preferred_contact_method ?? null,
    preferred_contact_time: body.preferred_contact_time ?? null,
    birthday: body.birthday ?? null,
    anniversary: body.anniversary ?? null,
    referral_source: body.referral_source ?? null,
    customer_status: body.customer_status ?? 'active',
    customer_stage: body.customer_stage ?? defaultStage,
    vip_status: body.vip_status ?? false,
    do_not_contact: body.do_not_contact ?? false,
  };
}

/** Every writable field rewritten: what is left out is reset, as `replacementOf` says. */
export async function replaceCustomer(
  deps: CustomersDeps,
  principal: Principal,
  id: string,
  body: ReplaceCustomerBody,
  ifMatch: string | undefined,
): Promise<Customer> {
  const after = await patchCustomer(
    deps,
    principal,
    id,
    replacementOf(body, deps.settings.defaultStage),
    ifMatch,
    'replaceCustomer',
  );
  return deps.fieldValues.reveal(deps.db, after);
}
