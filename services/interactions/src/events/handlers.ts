import type { Handlers } from '@crm/service-kit';
import type { Projector } from '../domain/projection/projector.js';

/**
 * Everything the timeline shows, from BookingX and from every CRM service. The kit's customer
 * modules (service.ts) keep the assignment replica and handle merges and erasures.
 */
export function handlers(p: Projector): Handlers {
  return {
    'bookingx.booking.created.v1': ({ tx }, e) => p.booking(tx, e),
    'bookingx.booking.rescheduled.v1': ({ tx }, e) => p.booking(tx, e),
    'bookingx.booking.completed.v1': ({ tx }, e) => p.booking(tx, e),
    'bookingx.booking.cancelled.v1': ({ tx }, e) => p.booking(tx, e),
    'bookingx.booking.no_show.v1': ({ tx }, e) => p.booking(tx, e),
    'bookingx.payment.captured.v1': ({ tx }, e) => p.payment(tx, e),
    'bookingx.payment.refunded.v1': ({ tx }, e) => p.payment(tx, e),
    'bookingx.purchase.completed.v1': ({ tx }, e) => p.purchase(tx, e),
    'crm.customer.created.v1': ({ tx }, e) => p.customer(tx, e),
    'crm.customer.updated.v1': ({ tx }, e) => p.customer(tx, e),
    'crm.customer.stage_changed.v1': ({ tx }, e) => p.stageChanged(tx, e),
    'crm.customer.merged.v1': ({ tx }, e) => p.merged(tx, e),
    'crm.note.created.v1': ({ tx }, e) => p.note(tx, e),
    'crm.note.updated.v1': ({ tx }, e) => p.note(tx, e),
    'crm.note.deleted.v1': ({ tx }, e) => p.noteDeleted(tx, e),
    'crm.task.created.v1': ({ tx }, e) => p.task(tx, e),
    'crm.task.completed.v1': ({ tx }, e) => p.task(tx, e),
    'crm.message.sent.v1': ({ tx }, e) => p.message(tx, e),
    'crm.message.received.v1': ({ tx }, e) => p.message(tx, e),
    'crm.message.opened.v1': ({ tx }, e) => p.message(tx, e),
    'crm.message.clicked.v1': ({ tx }, e) => p.message(tx, e),
    'crm.segment.member_added.v1': ({ tx }, e) => p.segment(tx, e),
    'crm.segment.member_removed.v1': ({ tx }, e) => p.segment(tx, e),
    'crm.workflow.action_executed.v1': ({ tx }, e) => p.workflow(tx, e),
  };
}
