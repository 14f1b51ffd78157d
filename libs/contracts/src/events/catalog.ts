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
  'bookingx.purchase.completed.v1': 'A customer bought products (shop order).',
  'crm.customer.updated.v1': 'A customer profile changed; lists the fields that changed.',
  'crm.customer.stage_changed.v1': 'A customer moved from one lifecycle stage to another.',
  'crm.customer.merged.v1':
    'Customers were merged into a survivor; every service re-keys the merged ids to it.',
  'crm.customer.erased.v1': 'A customer was erased; every service deletes or anonymises its data.',
  'crm.customer.assignment.changed.v1':
    'Who looks after a customer changed (owner, team, collaborators); feeds access replicas.',
  'crm.consent.changed.v1': 'A consent record was added for a channel and purpose.',
  'crm.custom_field.created.v1':
    'A custom field was defined; segments and filters can use it at once.',
  'crm.custom_field.updated.v1':
    'A custom field definition changed (label, options, rules, order or active state).',
  'crm.custom_field.deleted.v1': 'A custom field and all its values were deleted.',
  'crm.interaction.recorded.v1': 'An interaction with a customer was recorded.',
  'crm.note.created.v1': 'A note was added to a customer.',
  'crm.note.updated.v1': 'A note was edited, pinned or unpinned.',
  'crm.note.deleted.v1': 'A note was deleted.',
  'crm.task.created.v1': 'A task about a customer was created.',
  'crm.task.completed.v1': 'A task about a customer was completed.',
  'crm.message.sent.v1': 'A message was sent to a customer.',
  'crm.message.received.v1': 'A message from a customer arrived.',
  'crm.message.opened.v1': 'A customer opened a message.',
  'crm.message.clicked.v1': 'A customer clicked a link in a message.',
  'crm.segment.member_added.v1': 'A customer entered a segment.',
  'crm.segment.member_removed.v1': 'A customer left a segment.',
  'crm.workflow.action_executed.v1': 'An automation workflow acted on a customer.',
  'crm.team.member.changed.v1':
    'A member of the staff directory was added, registered at sign-in or changed (name, email, role, teams, active); `sequence` is the member version. Feeds the directory replicas that check assignments.',
  'crm.tenant.settings_changed.v1':
    "The tenant's locale, time zone or currency changed; `sequence` is the settings version. For whatever shows dates or runs at a tenant-local hour.",
};

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOG, type);
}

export function exchangeOf(type: EventType): string {
  return type.startsWith('bookingx.') ? BOOKINGX_EXCHANGE : CRM_EXCHANGE;
}
