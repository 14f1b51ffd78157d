import type { Db } from '@crm/service-kit';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { OpportunitiesRepository } from '../../db/opportunities.repository.js';

/** What the sales pipeline's use cases work with, built once in service.ts. */
export interface OpportunitiesDeps {
  db: Db;
  repo: OpportunitiesRepository;
  customers: CustomersRepository;
  clock: () => Date;
}
