import { type Customer } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import { getCustomer } from '../customers/get-customer.js';
import { isUuid } from '../customers/customer-changes.js';
import type { CustomersDeps } from '../customers/customers-deps.js';

export async function getMe(deps: CustomersDeps, principal: Principal): Promise<Customer> {
  if (!isUuid(principal.sub)) throw notFound('Customer');
  return getCustomer(deps, principal, principal.sub);
}
