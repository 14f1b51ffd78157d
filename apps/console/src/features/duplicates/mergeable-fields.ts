/**
 * Fields a merge takes from one customer, as the API names them (the contract's
 * MERGEABLE_FIELDS). VIP, do-not-contact, tags and collaborators follow rules of their own.
 * A test holds this copy to the contract's; the file imports nothing so it can load it.
 */
export const MERGEABLE_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'timezone',
  'locale',
  'address',
  'preferences',
  'profile_picture_url',
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
  'owner_id',
  'team_id',
] as const;
