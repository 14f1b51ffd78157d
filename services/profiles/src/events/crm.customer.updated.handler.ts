import type { EventHandler } from '@crm/service-kit';
import type { ProfilesDeps } from '../service.js';

/** The search index follows every change to a customer. */
export function onCrmCustomerUpdated(deps: ProfilesDeps): EventHandler<'crm.customer.updated.v1'> {
  return ({ tx }, event) => deps.search.reindex(tx, event.tenantid, event.data.customer.id);
}
