import { scopeOf } from '@crm/service-kit';
import { type Customer } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import { toCustomerDto } from './customer.js';
import type { CustomersDeps } from './customers-deps.js';

/** A merged id answers with its survivor, so links to it keep working. */
export async function getCustomer(
  deps: CustomersDeps,
  principal: Principal,
  id: string,
): Promise<Customer> {
  const scope = scopeOf(principal);
  let found = await deps.repo.read(deps.db, scope, id);
  if (!found) {
    const survivor = await deps.merges.survivorOf(deps.db, principal.tenant, id);
    if (survivor) found = await deps.repo.read(deps.db, scope, survivor);
  }
  if (!found) throw notFound('Customer');
  return deps.fieldValues.reveal(deps.db, toCustomerDto(found));
}
