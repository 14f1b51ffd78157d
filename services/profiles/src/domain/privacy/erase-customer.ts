import {
  makeEvent,
  type CustomerErasedPayload,
  type CustomerErasure,
  type EraseCustomerBody,
} from '@crm/contracts';
import {
  notFound,
  type Db,
  type Executor,
  type Outbox,
  type Principal,
  transaction,
} from '@crm/service-kit';
import type { z } from 'zod';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { ErasureRepository, Tombstone } from '../../db/erasure.repository.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { actorOf, routeContext, SOURCE } from '../customers/customer-events.js';
import type { CustomerKeys } from './customer-keys.js';

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
export class CustomerEraser {
  constructor(
    private readonly db: Db,
    private readonly customers: CustomersRepository,
    private readonly repo: ErasureRepository,
    private readonly keys: CustomerKeys,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async erase(principal: Principal, id: string, body: EraseCustomerBody): Promise<CustomerErasure> {
    const tenantId = principal.tenant;
    return transaction(this.db, async ({ db: tx }) => {
      await this.repo.lockId(tx, tenantId, id);
      // The row lock serialises concurrent erasures: the second finds the tombstone.
      const [current] = await this.customers.lockMany(tx, { kind: 'tenant', tenantId }, [id]);
      if (!current) {
        const tomb = await this.repo.tombstone(tx, tenantId, id);
        if (tomb) return toDto(tomb, true);
        throw notFound('Customer');
      }
      const erasedAt = this.clock();
      const ctx = routeContext(principal, 'eraseCustomer');
      // Recorded before the key goes; the entry holds no personal data, so it stays readable.
      await this.audit.record(
        tx,
        tenantId,
        id,
        [{ field: 'erased', oldValue: null, newValue: null }],
        ctx,
      );
      const merged = await this.repo.mergedInto(tx, tenantId, id);
      await this.repo.deletePersonalData(tx, tenantId, id);
      await this.repo.deleteKitCopies(tx, tenantId, [id, ...merged]);
      await this.keys.destroy(tx, tenantId, [id, ...merged]);
      const tomb = { tenantId, customerId: id, erasedAt, erasedBy: principal.sub };
      await this.repo.bury(tx, { ...tomb, reason: body.reason });
      const data: z.infer<typeof CustomerErasedPayload> = {
        customer_id: id,
        erased_by: actorOf(principal),
      };
      await this.outbox.append(tx, {
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

  /**
   * Whether the id belongs to an erased customer, whom nothing may bring back. Holds the id's
   * lock for the rest of the transaction, so an erasure running now is seen once it commits.
   */
  async isErased(tx: Executor, tenantId: string, id: string): Promise<boolean> {
    await this.repo.lockId(tx, tenantId, id);
    return (await this.repo.tombstone(tx, tenantId, id)) !== null;
  }
}
