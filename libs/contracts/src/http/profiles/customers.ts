import { z } from 'zod';
import { Filter } from '../../filter/ast.js';
import { DEFAULT_LIMIT, MAX_LIMIT, PageQuery, pageOf } from '../../pagination.js';
import { CustomFieldValues } from './custom-fields.js';

export const CUSTOMER_STATUSES = ['active', 'inactive', 'blocked', 'archived'] as const;
export const CONTACT_METHODS = ['email', 'sms', 'phone', 'whatsapp', 'none'] as const;

const url = z.url({ protocol: /^https?$/ }).max(500);
const date = z.iso.date().describe('Calendar date, YYYY-MM-DD');

/** A profile link must point at its network, so a typo'd or hostile link is refused. */
function socialUrl(network: string, hosts: string[]) {
  const names = hosts.map((h) => h.replaceAll('.', '\\.')).join('|');
  return z
    .url({ protocol: /^https?$/, hostname: new RegExp(`^([a-z0-9-]+\\.)*(${names})$`, 'i') })
    .max(500)
    .describe(`A ${network} address (${hosts.join(', ')})`);
}

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const favourites = z.array(z.string().trim().min(1).max(100)).max(50);

/** What a customer prefers and favours; BookingX ids of services and staff. */
export const Preferences = z
  .object({
    favorite_services: favourites.describe('BookingX service ids or names, most liked first'),
    favorite_staff: favourites.describe('BookingX staff ids the customer prefers'),
    preferred_times_of_day: z.array(z.enum(TIMES_OF_DAY)).max(3),
    preferred_days: z.array(z.enum(WEEKDAYS)).max(7),
    notes: z.string().max(1000).nullable(),
  })
  .meta({ id: 'Preferences' });
export type Preferences = z.infer<typeof Preferences>;

export const EMPTY_PREFERENCES: Preferences = {
  favorite_services: [],
  favorite_staff: [],
  preferred_times_of_day: [],
  preferred_days: [],
  notes: null,
};

/** Sent keys replace the stored ones; keys not sent are kept. */
export const PreferencesPatch = Preferences.partial().strict().meta({ id: 'PreferencesPatch' });

export const Address = z
  .object({
    line1: z.string().trim().max(200).nullable(),
    line2: z.string().trim().max(200).nullable(),
    city: z.string().trim().max(100).nullable(),
    region: z.string().trim().max(100).nullable(),
    postal_code: z.string().trim().max(20).nullable(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable()
      .describe('ISO 3166-1 alpha-2'),
  })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof Address>;

/** A written address replaces the stored one as a whole; keys left out become null. */
export const AddressInput = Address.partial().strict().meta({ id: 'AddressInput' });

const staffId = z.string().min(1).max(100);

export const PHONE_TYPES = ['mobile', 'home', 'work', 'other'] as const;
export const MAX_PHONES = 10;

export const CustomerPhone = z
  .object({
    number: z.string().describe('E.164'),
    type: z.enum(PHONE_TYPES),
    primary: z.boolean().describe('Exactly one number of a non-empty list is primary'),
  })
  .meta({ id: 'CustomerPhone' });
export type CustomerPhone = z.infer<typeof CustomerPhone>;

export const CustomerPhoneInput = z
  .object({
    number: z.string().max(32).describe('Any readable format; stored as E.164'),
    type: z
      .enum(PHONE_TYPES)
      .optional()
      .describe('When left out: mobile if the numbering plan says so, otherwise other'),
    primary: z
      .boolean()
      .optional()
      .describe('At most one; when none is marked, the first number is primary'),
  })
  .strict()
  .meta({ id: 'CustomerPhoneInput' });
export type CustomerPhoneInput = z.infer<typeof CustomerPhoneInput>;

const phoneList = z
  .array(CustomerPhoneInput)
  .max(MAX_PHONES)
  .describe(
    `Replaces the customer's numbers (at most ${MAX_PHONES}, no number twice); not together with phone`,
  );

/** The writable core of a customer: the spec's bkx_crm_customer_profiles columns plus identity. */
export const CustomerWritable = z.object({
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().max(100).default(''),
  email: z.email().max(254).nullable().optional(),
  phone: z
    .string()
    .max(32)
    .nullable()
    .optional()
    .describe(
      'The primary number, any readable format; stored as E.164. Sets or replaces the primary of phones; null removes it',
    ),
  phones: phoneList.optional(),
  timezone: z.string().max(64).nullable().optional().describe('IANA zone, e.g. Europe/Berlin'),
  locale: z
    .string()
    .max(35)
    .refine(isLocale, { message: 'Not a BCP 47 language tag' })
    .nullable()
    .optional()
    .describe('BCP 47 language tag, e.g. de-DE'),
  address: AddressInput.nullable().optional(),
  preferences: PreferencesPatch.optional(),
  profile_picture_url: url.nullable().optional(),
  company_name: z.string().max(200).nullable().optional(),
  job_title: z.string().max(200).nullable().optional(),
  website: url.nullable().optional(),
  linkedin_url: socialUrl('LinkedIn', ['linkedin.com']).nullable().optional(),
  facebook_url: socialUrl('Facebook', ['facebook.com', 'fb.com']).nullable().optional(),
  instagram_url: socialUrl('Instagram', ['instagram.com']).nullable().optional(),
  twitter_url: socialUrl('X (Twitter)', ['twitter.com', 'x.com']).nullable().optional(),
  preferred_contact_method: z.enum(CONTACT_METHODS).nullable().optional(),
  preferred_contact_time: z.string().max(50).nullable().optional(),
  birthday: date.nullable().optional(),
  anniversary: date.nullable().optional(),
  referral_source: z.string().max(100).nullable().optional(),
  customer_status: z.enum(CUSTOMER_STATUSES).optional(),
  customer_stage: z.string().min(1).max(50).optional(),
  vip_status: z.boolean().optional(),
  do_not_contact: z.boolean().optional(),
  owner_id: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .optional()
    .describe('Staff member the customer is assigned to (admin and manager only)'),
  team_id: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .optional()
    .describe('Team the customer belongs to (admin and manager only)'),
  collaborator_ids: z
    .array(staffId)
    .max(20)
    .optional()
    .describe(
      'Staff who work on the customer besides the owner and see it as assigned (admin and manager only); replaces the list',
    ),
  custom_fields: CustomFieldValues.optional().describe(
    'Values by field_name, each checked against its definition; keys not sent are kept, null clears',
  ),
});

export const CreateCustomerBody = CustomerWritable.strict().meta({ id: 'CreateCustomer' });
export type CreateCustomerBody = z.infer<typeof CreateCustomerBody>;

/**
 * A full replacement of the writable fields: required as on create, and a field left out is
 * reset (to null, an empty list, or its create default). Assignment is left alone unless sent.
 */
export const ReplaceCustomerBody = CustomerWritable.strict().meta({ id: 'ReplaceCustomer' });
export type ReplaceCustomerBody = z.infer<typeof ReplaceCustomerBody>;

// Without the create-time default, a PATCH that leaves out last_name must not clear it.
export const UpdateCustomerBody = CustomerWritable.extend({
  last_name: z.string().trim().max(100),
})
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .meta({ id: 'UpdateCustomer' });
export type UpdateCustomerBody = z.infer<typeof UpdateCustomerBody>;

export const ExternalRef = z.object({
  system: z.literal('bookingx'),
  external_id: z.string(),
});

/** Where the customer works and is found online, as a profile is read back. */
export const companyAndLinks = {
  company_name: z.string().nullable(),
  job_title: z.string().nullable(),
  website: z.string().nullable(),
  linkedin_url: z.string().nullable(),
  facebook_url: z.string().nullable(),
  instagram_url: z.string().nullable(),
  twitter_url: z.string().nullable(),
};

export const Customer = z
  .object({
    id: z.uuid(),
    tenant_id: z.uuid(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable().describe('E.164, the primary of phones'),
    // Optional so events written before numbers were a list still parse; always sent now.
    phones: z.array(CustomerPhone).optional().describe('Every number, the primary first'),
    timezone: z.string().nullable(),
    // Optional so events written before these fields existed still parse; always sent now.
    locale: z.string().nullable().optional(),
    address: Address.nullable().optional(),
    preferences: Preferences.optional(),
    profile_picture_url: z.string().nullable(),
    ...companyAndLinks,
    preferred_contact_method: z.enum(CONTACT_METHODS).nullable(),
    preferred_contact_time: z.string().nullable(),
    birthday: z.string().nullable(),
    anniversary: z.string().nullable(),
    referral_source: z.string().nullable(),
    customer_status: z.enum(CUSTOMER_STATUSES),
    customer_stage: z.string(),
    vip_status: z.boolean(),
    do_not_contact: z.boolean(),
    owner_id: z.string().nullable(),
    team_id: z.string().nullable(),
    collaborator_ids: z.array(z.string()).optional(),
    tags: z.array(z.string()).optional().describe('Names from the tenant tag catalog, sorted'),
    custom_fields: CustomFieldValues.optional().describe('Values of active custom fields'),
    external_refs: z.array(ExternalRef),
    source: z.enum(['crm', 'bookingx']),
    // Optional so events written before it existed still parse; always sent now.
    last_booking_at: z.iso
      .datetime()
      .nullable()
      .optional()
      .describe(
        'When the customer’s latest completed BookingX booking took place (its start); null before the first. Kept from the booking facts, not written through the API.',
      ),
    version: z.number().int().positive(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

/** Longest `?filter=` accepted, in characters of JSON. */
export const MAX_FILTER_QUERY_LENGTH = 8000;
const FILTER_QUERY_EXAMPLE = JSON.stringify({
  and: [
    { field: 'customer_stage', op: 'in', value: ['lead', 'prospect'] },
    { field: 'tags', op: 'contains', value: 'vip' },
    { field: 'birthday', op: 'anniversary_in', value: { days: 7 } },
  ],
});

export const CUSTOMER_SORT_FIELDS = [
  'created_at',
  'updated_at',
  'last_name',
  'email',
  'customer_status',
  'customer_stage',
  'last_booking_at',
] as const;

export const ListCustomersQuery = PageQuery.extend({
  sort: z
    .string()
    .regex(new RegExp(`^-?(${CUSTOMER_SORT_FIELDS.join('|')})$`))
    .default('-created_at')
    .describe(
      `One of ${CUSTOMER_SORT_FIELDS.join(', ')}; prefix with - for descending. Ties are broken by id. Customers without a completed booking come first by last_booking_at, last by -last_booking_at.`,
    ),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  stage: z.string().max(50).optional(),
  vip: z.enum(['true', 'false']).optional(),
  email: z.string().max(254).optional().describe('Exact email (case-insensitive)'),
  filter: z
    .string()
    .max(MAX_FILTER_QUERY_LENGTH)
    .optional()
    .describe(
      'A filter of the one filter language as URL-encoded JSON, combined with the other parameters and the caller’s access; see docs/filter-language.md. Fields: the core fields, `tags`, `owner_id`, `team_id`, `collaborator_ids`, `assigned_to` (`@me` is the caller) and `custom.<field_name>` of active, non-sensitive custom fields. Malformed JSON → 400; a bad leaf → 422 naming its path.',
    )
    .meta({ example: FILTER_QUERY_EXAMPLE }),
}).strict();
export type ListCustomersQuery = z.infer<typeof ListCustomersQuery>;

/** The list's query as a body, for filters too long for a URL (DESIGN 2a: `POST .../query`). */
export const QueryCustomersBody = z
  .object({
    filter: Filter.optional(),
    sort: ListCustomersQuery.shape.sort,
    limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    cursor: z.string().max(512).optional(),
  })
  .strict()
  .meta({ id: 'QueryCustomers' });
export type QueryCustomersBody = z.infer<typeof QueryCustomersBody>;

export const CustomerPage = pageOf(Customer).meta({ id: 'CustomerPage' });

export const CustomerIdParams = z.object({ id: z.uuid() });

export const ExportCustomersQuery = z
  .object({
    status: z.enum(CUSTOMER_STATUSES).optional(),
    stage: z.string().max(50).optional(),
    vip: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type ExportCustomersQuery = z.infer<typeof ExportCustomersQuery>;
