import { bookingxCustomerId } from '../ids.js';
import type { EventPayload, EventType, TypedEvent } from './catalog.js';

type CustomerOf = { [T in EventType]: (data: EventPayload<T>, tenantId: string) => string | null };

const bx = (tenantId: string, person: { bookingx_id: string }): string =>
  bookingxCustomerId(tenantId, person.bookingx_id);

/**
 * The CRM customer each event type is about (for BookingX events, the id derived from the
 * BookingX customer), or null for events about no one customer. Written once per type, so a
 * new type cannot be added without saying whom it concerns.
 */
const CUSTOMER_OF: CustomerOf = {
  'bookingx.customer.created.v1': (d, t) => bx(t, d.customer),
  'bookingx.customer.updated.v1': (d, t) => bx(t, d.customer),
  'bookingx.booking.created.v1': (d, t) => bx(t, d.booking.customer),
  'bookingx.booking.rescheduled.v1': (d, t) => bx(t, d.booking.customer),
  'bookingx.booking.completed.v1': (d, t) => bx(t, d.booking.customer),
  'bookingx.booking.cancelled.v1': (d, t) => bx(t, d.booking.customer),
  'bookingx.booking.no_show.v1': (d, t) => bx(t, d.booking.customer),
  'bookingx.payment.captured.v1': (d, t) => bx(t, d.payment.customer),
  'bookingx.payment.refunded.v1': (d, t) => bx(t, d.payment.customer),
  'bookingx.purchase.completed.v1': (d, t) => bx(t, d.purchase.customer),
  'crm.customer.created.v1': (d) => d.customer.id,
  'crm.customer.updated.v1': (d) => d.customer.id,
  'crm.customer.stage_changed.v1': (d) => d.customer_id,
  'crm.customer.merged.v1': (d) => d.survivor_id,
  'crm.customer.erased.v1': (d) => d.customer_id,
  'crm.customer.assignment.changed.v1': (d) => d.customer_id,
  'crm.consent.changed.v1': (d) => d.customer_id,
  'crm.custom_field.created.v1': () => null,
  'crm.custom_field.updated.v1': () => null,
  'crm.custom_field.deleted.v1': () => null,
  'crm.interaction.recorded.v1': (d) => d.interaction.customer_id,
  'crm.note.created.v1': (d) => d.note.customer_id,
  'crm.note.updated.v1': (d) => d.note.customer_id,
  'crm.note.deleted.v1': (d) => d.note.customer_id,
  'crm.task.created.v1': (d) => d.task.customer_id,
  'crm.task.completed.v1': (d) => d.task.customer_id,
  'crm.message.sent.v1': (d) => d.message.customer_id,
  'crm.message.received.v1': (d) => d.message.customer_id,
  'crm.message.opened.v1': (d) => d.message.customer_id,
  'crm.message.clicked.v1': (d) => d.message.customer_id,
  'crm.segment.member_added.v1': (d) => d.customer_id,
  'crm.segment.member_removed.v1': (d) => d.customer_id,
  'crm.workflow.action_executed.v1': (d) => d.customer_id,
  'crm.team.member.changed.v1': () => null,
  'crm.tenant.settings_changed.v1': () => null,
};

/** The customer an event is about (see CUSTOMER_OF); what publishers set as its subject. */
export function customerOfEvent<T extends EventType>(event: TypedEvent<T>): string | null {
  return customerOfPayload(event.type, event.data, event.tenantid);
}

/** `customerOfEvent` for a payload not yet in an envelope. */
export function customerOfPayload<T extends EventType>(
  type: T,
  data: EventPayload<T>,
  tenantId: string,
): string | null {
  const of = CUSTOMER_OF[type] as (data: EventPayload<T>, tenantId: string) => string | null;
  return of(data, tenantId);
}
