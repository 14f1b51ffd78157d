import type { z } from 'zod';
import { BOOKINGX_EVENTS } from './bookingx.js';
import { CRM_EVENTS } from './crm.js';
import type { CloudEvent } from './envelope.js';

export const CRM_EXCHANGE = 'crm.events';
export const BOOKINGX_EXCHANGE = 'bookingx.events';

/** Every event type that crosses the bus, with its payload schema. */
export const EVENT_CATALOG = { ...BOOKINGX_EVENTS, ...CRM_EVENTS } as const;
export type EventType = keyof typeof EVENT_CATALOG;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_CATALOG)[T]>;
export type TypedEvent<T extends EventType> = CloudEvent<T, EventPayload<T>>;

export const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  'bookingx.customer.created.v1': 'A customer registered in BookingX.',
  'bookingx.customer.updated.v1': 'A BookingX customer changed their details.',
  'bookingx.booking.created.v1': 'A booking was made.',
  'bookingx.booking.rescheduled.v1': 'A booking moved to another time.',
  'bookingx.booking.completed.v1': 'A booked appointment took place.',
  'bookingx.booking.cancelled.v1': 'A booking was cancelled.',
  'bookingx.booking.no_show.v1': 'The customer did not come to a booking.',
  'bookingx.payment.captured.v1': 'A payment was taken.',
  'bookingx.payment.refunded.v1': 'A payment was refunded.',
  'crm.customer.created.v1': 'A customer profile was created in the CRM.',
  'crm.customer.updated.v1': 'A customer profile changed; lists the fields that changed.',
  'crm.interaction.recorded.v1': 'An interaction with a customer was recorded.',
};

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOG, type);
}

export function exchangeOf(type: EventType): string {
  return type.startsWith('bookingx.') ? BOOKINGX_EXCHANGE : CRM_EXCHANGE;
}
