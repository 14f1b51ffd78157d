import { STAFF, guardedInput, json, type RouteDefinition } from '../common.js';
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
    roles: STAFF,
    request: { query: SearchCustomersQuery },
    responses: {
      200: json('One page of hits, best first unless sorted otherwise.', SearchPage),
      ...guardedInput,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, RouteDefinition>;
