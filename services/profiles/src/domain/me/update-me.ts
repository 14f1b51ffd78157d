import { type Customer, type UpdateMeBody } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import { patchCustomer, isUuid } from '../customers/customer-changes.js';
import type { CustomersDeps } from '../customers/customers-deps.js';

/** A customer changing their own profile; the route has refused every staff-only field. */
export async function updateMe(
  deps: CustomersDeps,
  principal: Principal,
  body: UpdateMeBody,
  ifMatch: string | undefined,
): Promise<Customer> {
  if (!isUuid(principal.sub)) throw notFound('Customer');
  const after = await patchCustomer(deps, principal, principal.sub, body, ifMatch, 'updateMe');
  return deps.fieldValues.reveal(deps.db, after);
}
