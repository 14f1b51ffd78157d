/**
 * Customer fields a CSV column can fill, in the API's order (docs/import.md). The API takes
 * them as plain strings, so the generated client cannot carry them: a test holds this copy to
 * the contract's list; the file imports nothing so it can load it.
 */
export const IMPORT_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'timezone',
  'locale',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'company_name',
  'job_title',
  'website',
  'linkedin_url',
  'facebook_url',
  'instagram_url',
  'twitter_url',
  'preferred_contact_method',
  'preferred_contact_time',
  'birthday',
  'anniversary',
  'referral_source',
  'customer_status',
  'customer_stage',
  'vip_status',
  'do_not_contact',
  'owner_id',
  'team_id',
  'tags',
  'external_ref',
] as const;
