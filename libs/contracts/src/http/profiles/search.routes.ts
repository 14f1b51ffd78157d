import * as http from '../common.js';
import { SearchCustomersQuery, SearchPage } from './search.js';

export const searchRoutes = {
  searchCustomers: {
    id: 'searchCustomers',
    method: 'get',
    path: '/crm/search',
    service: 'profiles',
    summary: 'Search customers',
    description:
      'Over name, email, phone, tags, company and custom text fields: word prefixes and small typos match; an email or phone number matches exactly. Only customers the caller may see. A change is searchable within about a second: the index follows the events the change published.',
    tags: ['Customers'],
    roles: http.STAFF,
    request: { query: SearchCustomersQuery },
    responses: {
      200: http.json('One page of hits, best first unless sorted otherwise.', SearchPage),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
