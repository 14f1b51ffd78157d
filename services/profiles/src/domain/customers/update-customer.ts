import { type Customer, type UpdateCustomerBody } from '@crm/contracts';
import { type Principal } from '@crm/service-kit';
import { patchCustomer, type Within } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';

export async function updateCustomer(
  deps: CustomersDeps,
  principal: Principal,
  id: string,
  body: UpdateCustomerBody,
  ifMatch: string | undefined,
  within?: Within,
): Promise<Customer> {
  const after = await patchCustomer(deps, principal, id, body, ifMatch, 'updateCustomer', within);
  return deps.fieldValues.reveal(within?.tx ?? deps.db, after);
}
