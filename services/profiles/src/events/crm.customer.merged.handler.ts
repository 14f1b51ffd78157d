import type { EventHandler } from '@crm/service-kit';
import type { ProfilesDeps } from '../deps.js';

/** Customers merged away leave the search index. */
export function onCrmCustomerMerged(deps: ProfilesDeps): EventHandler<'crm.customer.merged.v1'> {
  return ({ tx }, event) => deps.search.index.remove(tx, event.tenantid, event.data.merged_ids);
}
