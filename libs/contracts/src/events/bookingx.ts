import { z } from 'zod';
import { Money } from '../money.js';

/** Ids in BookingX are WordPress post/user ids: positive integers, carried as strings. */
const BxId = z.string().regex(/^\d+$/).describe('BookingX (WordPress) id');

export const BookingxPerson = z
  .object({
    bookingx_id: BxId,
    first_name: z.string().max(100),
    last_name: z.string().max(100),
    email: z.email().optional(),
    phone: z.string().max(32).optional(),
  })
  .meta({ id: 'BookingxPerson' });

export const BookingxCustomerPayload = z
  .object({
    customer: BookingxPerson.extend({
      registered_at: z.iso.datetime({ offset: true }).optional(),
      timezone: z.string().optional(),
    }),
  })
  .meta({ id: 'BookingxCustomerPayload' });
export type BookingxCustomerPayload = z.infer<typeof BookingxCustomerPayload>;

export const BOOKING_STATUSES = [
  'pending',
  'confirmed',
  'completed',
  'cancelled',
  'no_show',
] as const;
export const BookingStatus = z.enum(BOOKING_STATUSES);
export type BookingStatus = z.infer<typeof BookingStatus>;

export const BookingxBooking = z
  .object({
    bookingx_id: BxId,
    customer: BookingxPerson,
    service: z.object({
      id: BxId,
      name: z.string(),
      duration_minutes: z.number().int().positive(),
    }),
    staff: z.object({ id: BxId, name: z.string() }),
    location: z.string().optional(),
    start_at: z.iso.datetime({ offset: true }),
    end_at: z.iso.datetime({ offset: true }),
    price: Money,
    status: BookingStatus,
    revision: z.number().int().nonnegative().describe('Increments on every change of the booking'),
    notes: z.string().max(2000).optional(),
  })
  .meta({ id: 'BookingxBooking' });
export type BookingxBooking = z.infer<typeof BookingxBooking>;

export const BookingxBookingPayload = z
  .object({
    booking: BookingxBooking,
    previous_start_at: z.iso.datetime({ offset: true }).optional(),
    reason: z.string().max(500).optional(),
  })
  .meta({ id: 'BookingxBookingPayload' });
export type BookingxBookingPayload = z.infer<typeof BookingxBookingPayload>;

export const BookingxPaymentPayload = z
  .object({
    payment: z.object({
      bookingx_id: BxId,
      booking_id: BxId,
      customer: BookingxPerson,
      amount: Money,
      method: z.enum(['card', 'cash', 'paypal', 'stripe', 'bank_transfer', 'gift_card']),
      occurred_at: z.iso.datetime({ offset: true }),
    }),
    reason: z.string().max(500).optional(),
  })
  .meta({ id: 'BookingxPaymentPayload' });
export type BookingxPaymentPayload = z.infer<typeof BookingxPaymentPayload>;

export const BookingxPurchasePayload = z
  .object({
    purchase: z.object({
      bookingx_id: BxId,
      customer: BookingxPerson,
      items: z
        .array(
          z.object({
            sku: z.string().max(64),
            name: z.string().max(200),
            quantity: z.number().int().positive(),
            unit_price: Money,
          }),
        )
        .min(1),
      total: Money,
      occurred_at: z.iso.datetime({ offset: true }),
    }),
  })
  .meta({ id: 'BookingxPurchasePayload' });
export type BookingxPurchasePayload = z.infer<typeof BookingxPurchasePayload>;

export const BOOKINGX_EVENTS = {
  'bookingx.customer.created.v1': BookingxCustomerPayload,
  'bookingx.customer.updated.v1': BookingxCustomerPayload,
  'bookingx.booking.created.v1': BookingxBookingPayload,
  'bookingx.booking.rescheduled.v1': BookingxBookingPayload,
  'bookingx.booking.completed.v1': BookingxBookingPayload,
  'bookingx.booking.cancelled.v1': BookingxBookingPayload,
  'bookingx.booking.no_show.v1': BookingxBookingPayload,
  'bookingx.payment.captured.v1': BookingxPaymentPayload,
  'bookingx.payment.refunded.v1': BookingxPaymentPayload,
  'bookingx.purchase.completed.v1': BookingxPurchasePayload,
} as const;
export type BookingxEventType = keyof typeof BOOKINGX_EVENTS;
