import { z } from 'zod';
import { Customer } from '../http/customers.js';
import { Money } from '../money.js';

export const CustomerCreatedPayload = z
  .object({ customer: Customer })
  .meta({ id: 'CustomerCreatedPayload' });
export const CustomerUpdatedPayload = z
  .object({
    customer: Customer,
    changed_fields: z.array(z.string()),
  })
  .meta({ id: 'CustomerUpdatedPayload' });

export const INTERACTION_TYPES = [
  'booking',
  'payment',
  'purchase',
  'call',
  'email',
  'sms',
  'chat',
  'website_visit',
  'email_engagement',
  'social',
  'support_ticket',
] as const;
export const InteractionType = z.enum(INTERACTION_TYPES);

export const InteractionRecordedPayload = z
  .object({
    interaction: z.object({
      id: z.uuid(),
      customer_id: z.uuid(),
      interaction_type: InteractionType,
      interaction_source: z.string(),
      subject: z.string().nullable(),
      booking_id: z.string().nullable(),
      staff_id: z.string().nullable(),
      direction: z.enum(['inbound', 'outbound', 'internal']).nullable(),
      amount: Money.nullable(),
      interaction_date: z.iso.datetime(),
    }),
  })
  .meta({ id: 'InteractionRecordedPayload' });

export const CRM_EVENTS = {
  'crm.customer.created.v1': CustomerCreatedPayload,
  'crm.customer.updated.v1': CustomerUpdatedPayload,
  'crm.interaction.recorded.v1': InteractionRecordedPayload,
} as const;
export type CrmEventType = keyof typeof CRM_EVENTS;
