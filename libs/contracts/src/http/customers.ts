import { z } from 'zod';
import { PageQuery, pageOf } from '../pagination.js';

export const CUSTOMER_STATUSES = ['active', 'inactive', 'blocked', 'archived'] as const;
export const CONTACT_METHODS = ['email', 'sms', 'phone', 'whatsapp', 'none'] as const;

const url = z.url({ protocol: /^https?$/ }).max(500);
const date = z.iso.date().describe('Calendar date, YYYY-MM-DD');

/** The writable core of a customer: the spec's bkx_crm_customer_profiles columns plus identity. */
export const CustomerWritable = z.object({
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().max(100).default(''),
  email: z.email().max(254).nullable().optional(),
  phone: z.string().max(32).nullable().optional().describe('Any readable format; stored as E.164'),
  timezone: z.string().max(64).nullable().optional().describe('IANA zone, e.g. Europe/Berlin'),
  profile_picture_url: url.nullable().optional(),
  company_name: z.string().max(200).nullable().optional(),
  job_title: z.string().max(200).nullable().optional(),
  website: url.nullable().optional(),
  linkedin_url: url.nullable().optional(),
  facebook_url: url.nullable().optional(),
  instagram_url: url.nullable().optional(),
  twitter_url: url.nullable().optional(),
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
});

export const CreateCustomerBody = CustomerWritable.strict().meta({ id: 'CreateCustomer' });
export type CreateCustomerBody = z.infer<typeof CreateCustomerBody>;

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

export const Customer = z
  .object({
    id: z.uuid(),
    tenant_id: z.uuid(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable().describe('E.164'),
    timezone: z.string().nullable(),
    profile_picture_url: z.string().nullable(),
    company_name: z.string().nullable(),
    job_title: z.string().nullable(),
    website: z.string().nullable(),
    linkedin_url: z.string().nullable(),
    facebook_url: z.string().nullable(),
    instagram_url: z.string().nullable(),
    twitter_url: z.string().nullable(),
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
    external_refs: z.array(ExternalRef),
    source: z.enum(['crm', 'bookingx']),
    version: z.number().int().positive(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

export const CUSTOMER_SORT_FIELDS = ['created_at', 'updated_at', 'last_name', 'email'] as const;

export const ListCustomersQuery = PageQuery.extend({
  sort: z
    .string()
    .regex(/^-?(created_at|updated_at|last_name|email)$/)
    .default('-created_at')
    .describe('One of created_at, updated_at, last_name, email; prefix with - for descending'),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  stage: z.string().max(50).optional(),
  vip: z.enum(['true', 'false']).optional(),
  email: z.string().max(254).optional().describe('Exact email (case-insensitive)'),
}).strict();
export type ListCustomersQuery = z.infer<typeof ListCustomersQuery>;

export const CustomerPage = pageOf(Customer).meta({ id: 'CustomerPage' });

export const CustomerIdParams = z.object({ id: z.uuid() });
