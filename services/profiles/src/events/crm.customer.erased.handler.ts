import type { EventHandler } from '@crm/service-kit';
import type { ProfilesDeps } from '../deps.js';

/** An erased customer leaves the search index. */
export function onCrmCustomerErased(deps: ProfilesDeps): EventHandler<'crm.customer.erased.v1'> {
  return ({ tx }, event) => deps.search.index.remove(tx, event.tenantid, [event.data.customer_id]);
}
