import type { Handlers } from '@crm/service-kit';
import type { InteractionRecorder } from '../domain/bookings/record-bookingx-fact.js';

export function handlers(recorder: InteractionRecorder): Handlers {
  return {
    'bookingx.booking.created.v1': ({ tx }, e) => recorder.booking(tx, e),
    'bookingx.booking.rescheduled.v1': ({ tx }, e) => recorder.booking(tx, e),
    'bookingx.booking.completed.v1': ({ tx }, e) => recorder.booking(tx, e),
    'bookingx.booking.cancelled.v1': ({ tx }, e) => recorder.booking(tx, e),
    'bookingx.booking.no_show.v1': ({ tx }, e) => recorder.booking(tx, e),
    'bookingx.payment.captured.v1': ({ tx }, e) => recorder.payment(tx, e),
    'bookingx.payment.refunded.v1': ({ tx }, e) => recorder.payment(tx, e),
    'crm.customer.created.v1': ({ tx }, e) => recorder.customer(tx, e),
    'crm.customer.updated.v1': ({ tx }, e) => recorder.customer(tx, e),
  };
}
