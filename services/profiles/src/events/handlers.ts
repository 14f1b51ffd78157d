import type { Handlers } from '@crm/service-kit';
import type { ProfilesDeps } from '../service.js';
import { onBookingxCustomerCreated } from './bookingx.customer.created.handler.js';
import { onBookingxCustomerUpdated } from './bookingx.customer.updated.handler.js';
import { onBookingxBookingCreated } from './bookingx.booking.created.handler.js';
import { onBookingxBookingRescheduled } from './bookingx.booking.rescheduled.handler.js';
import { onBookingxBookingCompleted } from './bookingx.booking.completed.handler.js';
import { onBookingxBookingCancelled } from './bookingx.booking.cancelled.handler.js';
import { onBookingxBookingNoShow } from './bookingx.booking.no_show.handler.js';
import { onCrmCustomerCreated } from './crm.customer.created.handler.js';
import { onCrmCustomerUpdated } from './crm.customer.updated.handler.js';
import { onCrmCustomerMerged } from './crm.customer.merged.handler.js';
import { onCrmCustomerErased } from './crm.customer.erased.handler.js';

/** Every event type this service consumes, each with its handler. */
export function handlers(deps: ProfilesDeps): Handlers {
  return {
    'bookingx.customer.created.v1': onBookingxCustomerCreated(deps),
    'bookingx.customer.updated.v1': onBookingxCustomerUpdated(deps),
    'bookingx.booking.created.v1': onBookingxBookingCreated(deps),
    'bookingx.booking.rescheduled.v1': onBookingxBookingRescheduled(deps),
    'bookingx.booking.completed.v1': onBookingxBookingCompleted(deps),
    'bookingx.booking.cancelled.v1': onBookingxBookingCancelled(deps),
    'bookingx.booking.no_show.v1': onBookingxBookingNoShow(deps),
    'crm.customer.created.v1': onCrmCustomerCreated(deps),
    'crm.customer.updated.v1': onCrmCustomerUpdated(deps),
    'crm.customer.merged.v1': onCrmCustomerMerged(deps),
    'crm.customer.erased.v1': onCrmCustomerErased(deps),
  };
}
