import type { EventHandler } from '@crm/service-kit';
import { refreshSearchDocument } from '../domain/search/refresh-search-document.js';
import type { ProfilesDeps } from '../deps.js';

/** The search index follows every change to a customer. */
export function onCrmCustomerUpdated(deps: ProfilesDeps): EventHandler<'crm.customer.updated.v1'> {
  return ({ tx }, event) =>
    refreshSearchDocument(deps.search, tx, event.tenantid, event.data.customer.id);
}
