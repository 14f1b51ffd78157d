import { transaction } from '@crm/service-kit';
import { type Customer } from '@crm/contracts';
import { AppError, type Executor, type Principal } from '@crm/service-kit';
import { toCustomerDto } from './customer.js';
import { routeContext } from './customer-events.js';
import { lockOne } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';

/**
 * Runs `store` (which writes or removes the picture and returns its URL) in the
 * transaction that points `profile_picture_url` at it, so both change or neither.
 */
export async function setCustomerPicture(
  deps: CustomersDeps,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
  via: 'putCustomerPicture' | 'deleteCustomerPicture',
  store: (tx: Executor) => Promise<string | null>,
): Promise<Customer> {
  return transaction(deps.db, async ({ db: tx }) => {
    const current = await lockOne(deps, tx, principal, id, ifMatch);
    const url = await store(tx);
    const updated = await deps.repo.update(
      tx,
      principal.tenant,
      id,
      { profilePictureUrl: url },
      current.row.version,
    );
    if (!updated) throw new AppError('precondition_failed', 'The customer changed while saving');
    const after = toCustomerDto({ ...current, row: updated });
    await deps.events.changed(tx, toCustomerDto(current), after, routeContext(principal, via));
    return deps.fieldValues.reveal(tx, after);
  });
}
