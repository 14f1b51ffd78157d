import { transaction } from '@crm/service-kit';
import { type Customer, type CustomerTagsBody } from '@crm/contracts';
import { type Executor, type Principal } from '@crm/service-kit';
import { toCustomerDto } from './customer.js';
import { routeContext } from './customer-events.js';
import { applyTags, lockOne, type Within } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';

export async function changeCustomerTags(
  deps: CustomersDeps,
  principal: Principal,
  id: string,
  body: CustomerTagsBody,
  ifMatch: string | undefined,
  within?: Within,
): Promise<Customer> {
  const run = async (tx: Executor): Promise<Customer> => {
    const current = await lockOne(deps, tx, principal, id, ifMatch);
    const [after] = await applyTags(
      deps,
      tx,
      principal,
      [current],
      body,
      within?.ctx ?? routeContext(principal, 'setCustomerTags'),
    );
    return deps.fieldValues.reveal(tx, toCustomerDto(after ?? current));
  };
  return within ? run(within.tx) : transaction(deps.db, ({ db }) => run(db));
}
