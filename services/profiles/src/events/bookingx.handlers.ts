import { bookingxCustomerId } from '@crm/contracts';
import type { EventHandler, Executor, Handlers } from '@crm/service-kit';
import type { CustomersDeps } from '../domain/customers/customers-deps.js';
import { upsertBookingxCustomer } from '../domain/customers/upsert-bookingx-customer.js';
import type { CustomerEraser } from '../domain/privacy/erase-customer.js';

/**
 * BookingX customers become profiles; a booking by an unknown customer creates one too. An
 * erased customer stays erased: its facts are acknowledged and dropped.
 */
export function bookingxHandlers(customers: CustomersDeps, eraser: CustomerEraser): Handlers {
  const erased = (tx: Executor, tenantId: string, bookingxId: string): Promise<boolean> =>
    eraser.isErased(tx, tenantId, bookingxCustomerId(tenantId, bookingxId));
  const onCustomer: EventHandler<
    'bookingx.customer.created.v1' | 'bookingx.customer.updated.v1'
  > = async ({ tx }, event) => {
    if (await erased(tx, event.tenantid, event.data.customer.bookingx_id)) return;
    await upsertBookingxCustomer(
      customers,
      tx,
      event.tenantid,
      event.data.customer,
      new Date(event.time),
      'profile',
      `${event.type} ${event.id}`,
    );
  };
  const onBooking: EventHandler<
    | 'bookingx.booking.created.v1'
    | 'bookingx.booking.rescheduled.v1'
    | 'bookingx.booking.completed.v1'
    | 'bookingx.booking.cancelled.v1'
    | 'bookingx.booking.no_show.v1'
  > = async ({ tx }, event) => {
    if (await erased(tx, event.tenantid, event.data.booking.customer.bookingx_id)) return;
    await upsertBookingxCustomer(
      customers,
      tx,
      event.tenantid,
      event.data.booking.customer,
      new Date(event.time),
      'booking',
      `${event.type} ${event.id}`,
    );
  };
  return {
    'bookingx.customer.created.v1': onCustomer,
    'bookingx.customer.updated.v1': onCustomer,
    'bookingx.booking.created.v1': onBooking,
    'bookingx.booking.rescheduled.v1': onBooking,
    'bookingx.booking.completed.v1': onBooking,
    'bookingx.booking.cancelled.v1': onBooking,
    'bookingx.booking.no_show.v1': onBooking,
  };
}
