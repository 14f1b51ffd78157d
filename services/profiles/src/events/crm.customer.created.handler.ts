import type { EventHandler } from '@crm/service-kit';
import type { ProfilesDeps } from '../service.js';

/** The search index follows the customers this service creates. */
export function onCrmCustomerCreated(deps: ProfilesDeps): EventHandler<'crm.customer.created.v1'> {
  return ({ tx }, event) => deps.search.reindex(tx, event.tenantid, event.data.customer.id);
}
