import type { Handlers } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { bookingxFacts } from './bookingx.handler.js';
import { customerChanged } from './crm.customer.handler.js';
import { customerMerged } from './crm.customer.merged.handler.js';
import { customerStageChanged } from './crm.customer.stage_changed.handler.js';
import { noteDeleted } from './crm.note.deleted.handler.js';
import { noteSaved } from './crm.note.handler.js';
import { messageClicked } from './crm.message.clicked.handler.js';
import { messageOpened } from './crm.message.opened.handler.js';
import { messageReceived } from './crm.message.received.handler.js';
import { messageSent } from './crm.message.sent.handler.js';
import { segmentMembershipChanged } from './crm.segment.handler.js';
import { taskChanged } from './crm.task.handler.js';
import { workflowActionExecuted } from './crm.workflow.action_executed.handler.js';

/**
 * Everything the timeline shows, from BookingX and from every CRM service. Each write is keyed
 * by its source event or compares versions, so redelivery and reordering change nothing; ids
 * of merged customers resolve to their survivor. BookingX facts, most of the traffic, are
 * handled as sets (one statement per table per batch); the rarer events one by one. The kit's
 * customer modules (service.ts) keep the assignment replica and handle merges and erasures.
 */
export function handlers(deps: InteractionsDeps): Handlers {
  const bookingx = bookingxFacts(deps);
  return {
    'bookingx.booking.created.v1': bookingx,
    'bookingx.booking.rescheduled.v1': bookingx,
    'bookingx.booking.completed.v1': bookingx,
    'bookingx.booking.cancelled.v1': bookingx,
    'bookingx.booking.no_show.v1': bookingx,
    'bookingx.payment.captured.v1': bookingx,
    'bookingx.payment.refunded.v1': bookingx,
    'bookingx.purchase.completed.v1': bookingx,
    'crm.customer.created.v1': (ctx, e) => customerChanged(deps, ctx, e),
    'crm.customer.updated.v1': (ctx, e) => customerChanged(deps, ctx, e),
    'crm.customer.stage_changed.v1': (ctx, e) => customerStageChanged(deps, ctx, e),
    'crm.customer.merged.v1': (ctx, e) => customerMerged(deps, ctx, e),
    'crm.note.created.v1': (ctx, e) => noteSaved(deps, ctx, e),
    'crm.note.updated.v1': (ctx, e) => noteSaved(deps, ctx, e),
    'crm.note.deleted.v1': (ctx, e) => noteDeleted(deps, ctx, e),
    'crm.task.created.v1': (ctx, e) => taskChanged(deps, ctx, e),
    'crm.task.completed.v1': (ctx, e) => taskChanged(deps, ctx, e),
    'crm.message.sent.v1': (ctx, e) => messageSent(deps, ctx, e),
    'crm.message.received.v1': (ctx, e) => messageReceived(deps, ctx, e),
    'crm.message.opened.v1': (ctx, e) => messageOpened(deps, ctx, e),
    'crm.message.clicked.v1': (ctx, e) => messageClicked(deps, ctx, e),
    'crm.segment.member_added.v1': (ctx, e) => segmentMembershipChanged(deps, ctx, e),
    'crm.segment.member_removed.v1': (ctx, e) => segmentMembershipChanged(deps, ctx, e),
    'crm.workflow.action_executed.v1': (ctx, e) => workflowActionExecuted(deps, ctx, e),
  };
}
