import type { Handlers } from '@crm/service-kit';
import type { ProfilesDeps } from '../deps.js';
import { bookingxFacts } from './bookingx.handler.js';
import { onCrmCustomerCreated } from './crm.customer.created.handler.js';
import { onCrmCustomerUpdated } from './crm.customer.updated.handler.js';
import { onCrmCustomerMerged } from './crm.customer.merged.handler.js';
import { onCrmCustomerErased } from './crm.customer.erased.handler.js';

/** Every event type this service consumes, each with its handler. */
export function handlers(deps: ProfilesDeps): Handlers {
  // One object for every BookingX type: the consumer hands it their events as one set.
  const facts = bookingxFacts(deps);
  return {
    'bookingx.customer.created.v1': facts,
    'bookingx.customer.updated.v1': facts,
    'bookingx.booking.created.v1': facts,
    'bookingx.booking.rescheduled.v1': facts,
    'bookingx.booking.completed.v1': facts,
    'bookingx.booking.cancelled.v1': facts,
    'bookingx.booking.no_show.v1': facts,
    'crm.customer.created.v1': onCrmCustomerCreated(deps),
    'crm.customer.updated.v1': onCrmCustomerUpdated(deps),
    'crm.customer.merged.v1': onCrmCustomerMerged(deps),
    'crm.customer.erased.v1': onCrmCustomerErased(deps),
  };
}
