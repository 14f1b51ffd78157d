import { describe, expect, it } from 'vitest';
import { bookingxCustomerId, bookingxObjectId, newId } from '../src/ids.js';

const TENANT = '0b5c8e4e-3f7a-4c1d-9e2b-5a6f7c8d9e01';
const OTHER_TENANT = '5d1f0a3b-2c4e-4f6a-8b9c-0d1e2f3a4b5c';

describe('bookingxCustomerId', () => {
  it('derives the same UUIDv5 every time, in every process', () => {
    // Pinned: a change here re-keys every BookingX customer already stored.
    expect(bookingxCustomerId(TENANT, '42')).toBe('9e0cb7b2-daf0-5f41-aff5-c1555146e1c4');
    expect(bookingxCustomerId(TENANT, '42')).toBe(bookingxCustomerId(TENANT, '42'));
  });

  it('treats a numeric and a string BookingX id alike', () => {
    expect(bookingxCustomerId(TENANT, 42)).toBe(bookingxCustomerId(TENANT, '42'));
  });

  it('differs per tenant, per customer and from other derived objects', () => {
    const id = bookingxCustomerId(TENANT, '42');
    expect(bookingxCustomerId(OTHER_TENANT, '42')).not.toBe(id);
    expect(bookingxCustomerId(TENANT, '43')).not.toBe(id);
    expect(bookingxObjectId(TENANT, 'booking', '42')).not.toBe(id);
  });

  it('is a version 5 UUID, unlike the version 7 ids made in the CRM', () => {
    expect(bookingxCustomerId(TENANT, '42')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(newId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
