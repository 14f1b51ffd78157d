import { z } from 'zod';
import { CONSENT_CHANNELS, CONSENT_PURPOSES } from '../../events/crm.js';
import { PageQuery, pageOf } from '../../pagination.js';
import {
  Address,
  CustomerPhone,
  CustomerWritable,
  Preferences,
  companyAndLinks,
} from './customers.js';

export const ConsentChannel = z.enum(CONSENT_CHANNELS);
export const ConsentPurpose = z.enum(CONSENT_PURPOSES);

export const ConsentRecord = z
  .object({
    id: z.uuid(),
    customer_id: z.uuid(),
    channel: ConsentChannel,
    purpose: ConsentPurpose,
    granted: z.boolean(),
    source: z
      .string()
      .describe('Where the consent was given: `self_service`, `booking_form`, `phone_call`, …'),
    note: z.string().nullable(),
    recorded_at: z.iso.datetime(),
    recorded_by: z.object({
      type: z.enum(['staff', 'customer', 'system', 'bookingx']),
      id: z.string().nullable(),
    }),
  })
  .meta({ id: 'ConsentRecord' });
export type ConsentRecord = z.infer<typeof ConsentRecord>;

export const ConsentState = z
  .object({
    customer_id: z.uuid(),
    do_not_contact: z
      .boolean()
      .describe('When true, no channel may be used whatever the consents say'),
    consents: z
      .array(
        z.object({
          channel: ConsentChannel,
          purpose: ConsentPurpose,
          granted: z.boolean().nullable().describe('null: never asked'),
          source: z.string().nullable(),
          recorded_at: z.iso.datetime().nullable(),
        }),
      )
      .describe('Every channel and purpose, from the newest record of each'),
  })
  .meta({ id: 'ConsentState' });
export type ConsentState = z.infer<typeof ConsentState>;

export const RecordConsentBody = z
  .object({
    channel: ConsentChannel,
    purpose: ConsentPurpose,
    granted: z.boolean(),
    source: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,49}$/)
      .describe('Where the consent was given, e.g. `phone_call`, `paper_form`'),
    note: z.string().max(500).nullable().optional(),
  })
  .strict()
  .meta({ id: 'RecordConsent' });
export type RecordConsentBody = z.infer<typeof RecordConsentBody>;

/** A customer records their own consent; the source is always `self_service`. */
export const RecordMyConsentBody = RecordConsentBody.omit({ source: true })
  .strict()
  .meta({ id: 'RecordMyConsent' });
export type RecordMyConsentBody = z.infer<typeof RecordMyConsentBody>;

export const ConsentHistoryQuery = PageQuery.strict();
export const ConsentHistoryPage = pageOf(ConsentRecord).meta({ id: 'ConsentHistoryPage' });

/** What a customer may change about themselves; anything else is refused with 422. */
export const CUSTOMER_EDITABLE_FIELDS = [
  'first_name',
  'last_name',
  'phone',
  'phones',
  'timezone',
  'locale',
  'address',
  'preferences',
  'preferred_contact_method',
  'preferred_contact_time',
  'birthday',
  'anniversary',
  'company_name',
  'job_title',
  'website',
  'linkedin_url',
  'facebook_url',
  'instagram_url',
  'twitter_url',
  'do_not_contact',
] as const;

export const UpdateMeBody = CustomerWritable.pick({
  first_name: true,
  last_name: true,
  phone: true,
  phones: true,
  timezone: true,
  locale: true,
  address: true,
  preferences: true,
  preferred_contact_method: true,
  preferred_contact_time: true,
  birthday: true,
  anniversary: true,
  company_name: true,
  job_title: true,
  website: true,
  linkedin_url: true,
  facebook_url: true,
  instagram_url: true,
  twitter_url: true,
  do_not_contact: true,
})
  .extend({ last_name: z.string().trim().max(100) })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .meta({ id: 'UpdateMe' });
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

/** The customer's own view of their profile: no internal fields (tags, owner, stage, notes). */
export const Me = z
  .object({
    id: z.uuid(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string().nullable().describe('Changed through BookingX, where the customer signs in'),
    phone: z.string().nullable(),
    phones: z.array(CustomerPhone),
    timezone: z.string().nullable(),
    locale: z.string().nullable(),
    address: Address.nullable(),
    preferences: Preferences,
    preferred_contact_method: z.string().nullable(),
    preferred_contact_time: z.string().nullable(),
    birthday: z.string().nullable(),
    anniversary: z.string().nullable(),
    ...companyAndLinks,
    do_not_contact: z.boolean(),
    version: z.number().int().positive(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;
