import {
  makeEvent,
  type CustomerErasedPayload,
  type CustomerErasure,
  type EraseCustomerBody,
} from '@crm/contracts';
import { notFound, type Principal, transaction } from '@crm/service-kit';
import type { z } from 'zod';
import type { Tombstone } from '../../db/erasure.repository.js';
import { actorOf, routeContext, SOURCE } from '../customers/customer-events.js';
import type { ErasureDeps } from './erasure-deps.js';

function toDto(t: Tombstone, already: boolean): CustomerErasure {
  return {
    customer_id: t.customerId,
    erased_at: t.erasedAt.toISOString(),
    erased_by: t.erasedBy,
    already_erased: already,
  };
}

/**
 * The right to erasure by crypto-shredding: the customer's data key goes, so every sealed copy
 * (stored values, events, backups, audit values) is unreadable; the profile's rows go; a
 * tombstone stays so the id is never filled again.
 */
export async function eraseCustomer(
  deps: ErasureDeps,
  principal: Principal,
  id: string,
  body: EraseCustomerBody,
): Promise<CustomerErasure> {
  const tenantId = principal.tenant;
  return transaction(deps.db, async ({ db: tx }) => {
    await deps.repo.lockId(tx, tenantId, id);
    // The row lock serialises concurrent erasures: the second finds the tombstone.
    const [current] = await deps.customers.lockMany(tx, { kind: 'tenant', tenantId }, [id]);
    if (!current) {
      const tomb = await deps.repo.tombstone(tx, tenantId, id);
      if (tomb) return toDto(tomb, true);
      throw notFound('Customer');
    }
    const erasedAt = deps.clock();
    const ctx = routeContext(principal, 'eraseCustomer');
    // Recorded before the key goes; the entry holds no personal data, so it stays readable.
    await deps.audit.record(
      tx,
      tenantId,
      id,
      [{ field: 'erased', oldValue: null, newValue: null }],
      ctx,
    );
    const merged = await deps.repo.mergedInto(tx, tenantId, id);
    await deps.repo.deletePersonalData(tx, tenantId, id);
    await deps.repo.deleteKitCopies(tx, tenantId, [id, ...merged]);
    await deps.keys.destroy(tx, tenantId, [id, ...merged]);
    const tomb = { tenantId, customerId: id, erasedAt, erasedBy: principal.sub };
    await deps.repo.bury(tx, { ...tomb, reason: body.reason });
    const data: z.infer<typeof CustomerErasedPayload> = {
      customer_id: id,
      erased_by: actorOf(principal),
    };
    await deps.outbox.append(tx, {
      event: makeEvent({
        type: 'crm.customer.erased.v1',
        source: SOURCE,
        tenantId,
        subject: id,
        sequence: current.row.version + 1,
        data,
      }),
    });
    return toDto(tomb, false);
  });
}
