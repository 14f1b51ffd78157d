import { transaction, type Principal } from '@crm/service-kit';
import { routeContext } from '../customers/customer-events.js';
import { changeCatalog } from '../customers/republish-customers.js';
import { lockTag } from './tag.js';
import type { TagsDeps } from './tags-deps.js';

/** The tag leaves every customer carrying it, each with a new version and an update event. */
export async function deleteTag(
  deps: TagsDeps,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const tenant = principal.tenant;
  await transaction(deps.db, async ({ db: tx }) => {
    await lockTag(deps, tx, tenant, id, ifMatch);
    await changeCatalog(
      deps.customers,
      tx,
      tenant,
      await deps.repo.customersWith(tx, tenant, id),
      routeContext(principal, 'deleteTag'),
      () => deps.repo.delete(tx, tenant, id),
    );
  });
}
