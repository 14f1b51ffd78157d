import type { Handlers } from '@crm/service-kit';
import type { ProfilesDeps } from '../deps.js';
import { onBookingxBooking } from './bookingx.booking.handler.js';
import { onBookingxCustomer } from './bookingx.customer.handler.js';
import { onCrmCustomerCreated } from './crm.customer.created.handler.js';
import { onCrmCustomerUpdated } from './crm.customer.updated.handler.js';
import { onCrmCustomerMerged } from './crm.customer.merged.handler.js';
import { onCrmCustomerErased } from './crm.customer.erased.handler.js';

/** Every event type this service consumes, each with its handler. */
export function handlers(deps: ProfilesDeps): Handlers {
  return {
    'bookingx.customer.created.v1': onBookingxCustomer(deps),
    'bookingx.customer.updated.v1': onBookingxCustomer(deps),
    'bookingx.booking.created.v1': onBookingxBooking(deps),
    'bookingx.booking.rescheduled.v1': onBookingxBooking(deps),
    'bookingx.booking.completed.v1': onBookingxBooking(deps),
    'bookingx.booking.cancelled.v1': onBookingxBooking(deps),
    'bookingx.booking.no_show.v1': onBookingxBooking(deps),
    'crm.customer.created.v1': onCrmCustomerCreated(deps),
    'crm.customer.updated.v1': onCrmCustomerUpdated(deps),
    'crm.customer.merged.v1': onCrmCustomerMerged(deps),
    'crm.customer.erased.v1': onCrmCustomerErased(deps),
  };
}
