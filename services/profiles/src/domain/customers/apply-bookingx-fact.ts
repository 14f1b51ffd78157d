import { bookingxCustomerId } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import type { ErasureDeps } from '../privacy/erasure-deps.js';
import { isErased } from '../privacy/is-erased.js';
import type { CustomersDeps } from './customers-deps.js';
import { upsertBookingxCustomer } from './upsert-bookingx-customer.js';

export interface BookingxFact {
  tenantId: string;
  /** The customer as the event names them (a customer event may carry the time zone). */
  person: Parameters<typeof upsertBookingxCustomer>[3];
  occurredAt: Date;
  /** A customer event sets the profile; a booking only creates one or adds its number. */
  mode: 'profile' | 'booking';
  via: string;
}

/**
 * A BookingX fact about a customer becomes their profile. An erased customer stays erased:
 * its facts are acknowledged and dropped.
 */
export async function applyBookingxFact(
  deps: { customers: CustomersDeps; erasure: ErasureDeps },
  tx: Executor,
  fact: BookingxFact,
): Promise<void> {
  const id = bookingxCustomerId(fact.tenantId, fact.person.bookingx_id);
  if (await isErased(deps.erasure, tx, fact.tenantId, id)) return;
  await upsertBookingxCustomer(
    deps.customers,
    tx,
    fact.tenantId,
    fact.person,
    fact.occurredAt,
    fact.mode,
    fact.via,
  );
}
