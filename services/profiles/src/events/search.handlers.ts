import type { EventHandler, Handlers } from '@crm/service-kit';
import type { CustomerSearch } from '../domain/search/search-customers.js';

/** The search index follows the customer events this service published. */
export function searchHandlers(search: CustomerSearch): Handlers {
  const reindex: EventHandler<'crm.customer.created.v1' | 'crm.customer.updated.v1'> = async (
    { tx },
    event,
  ) => {
    await search.reindex(tx, event.tenantid, event.data.customer.id);
  };
  return {
    'crm.customer.created.v1': reindex,
    'crm.customer.updated.v1': reindex,
    'crm.customer.merged.v1': async ({ tx }, event) => {
      await search.forget(tx, event.tenantid, event.data.merged_ids);
    },
    'crm.customer.erased.v1': async ({ tx }, event) => {
      await search.forget(tx, event.tenantid, [event.data.customer_id]);
    },
  };
}
