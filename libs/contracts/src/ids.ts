import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** Fixed namespace for ids derived from BookingX ids; changing it re-keys every customer. */
export const BOOKINGX_NAMESPACE = '6f1d3c1e-8a59-4d43-9b8e-2f0c2b8a7e11';

/**
 * The CRM id of a customer that comes from BookingX: UUIDv5 of (tenant, "bookingx", id),
 * so every service keys booking facts to the same customer without a lookup.
 */
export function bookingxCustomerId(tenantId: string, bookingxCustomerId: string | number): string {
  return uuidv5(`${tenantId}:bookingx:${String(bookingxCustomerId)}`, BOOKINGX_NAMESPACE);
}

/** Id of any other object derived from a BookingX id (bookings, payments), same scheme. */
export function bookingxObjectId(tenantId: string, kind: string, id: string | number): string {
  return uuidv5(`${tenantId}:bookingx:${kind}:${String(id)}`, BOOKINGX_NAMESPACE);
}

/** Time-ordered id for anything created in the CRM. */
export function newId(): string {
  return uuidv7();
}
