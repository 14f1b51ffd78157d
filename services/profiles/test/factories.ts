import { randomUUID } from 'node:crypto';
import { makeEvent, type BookingxCustomerPayload, type CloudEvent } from '@crm/contracts';

let counter = 1000;

export function newTenant(): string {
  return randomUUID();
}

export function buildCustomerBody(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  counter += 1;
  return {
    first_name: 'Ada',
    last_name: `Lovelace${counter}`,
    email: `ada.${counter}.${randomUUID().slice(0, 6)}@example.com`,
    phone: '+49 30 901820',
    timezone: 'Europe/Berlin',
    ...overrides,
  };
}

export function buildBookingxCustomerEvent(
  tenantId: string,
  overrides: Partial<BookingxCustomerPayload['customer']> = {},
  type:
    | 'bookingx.customer.created.v1'
    | 'bookingx.customer.updated.v1' = 'bookingx.customer.created.v1',
  time = new Date(),
): CloudEvent {
  counter += 1;
  return makeEvent({
    type,
    source: 'bookingx/test',
    tenantId,
    time,
    data: {
      customer: {
        bookingx_id: String(counter),
        first_name: 'Grace',
        last_name: 'Hopper',
        email: `grace.${counter}@example.com`,
        phone: '+44 20 7946 0018',
        ...overrides,
      },
    },
  });
}
