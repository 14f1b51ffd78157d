import type { EventHandler } from '@crm/service-kit';
import { refreshSearchDocument } from '../domain/search/refresh-search-document.js';
import type { ProfilesDeps } from '../deps.js';

/** The search index follows the customers this service creates. */
export function onCrmCustomerCreated(deps: ProfilesDeps): EventHandler<'crm.customer.created.v1'> {
  return ({ tx }, event) =>
    refreshSearchDocument(deps.search, tx, event.tenantid, event.data.customer.id);
}
