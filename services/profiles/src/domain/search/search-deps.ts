import type { Db } from '@crm/service-kit';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { SearchReindexRepository } from '../../db/search-reindex.repository.js';
import type { SearchIndex } from './search-index.js';

/** What customer search and its index upkeep work with, built once in service.ts. */
export interface SearchDeps {
  db: Db;
  /** Postgres (the default) or Meilisearch (`MEILI_URL`). */
  index: SearchIndex;
  customers: CustomersRepository;
  fields: CustomFieldsRepository;
  /** What a full reindex reads: tenants, counts and current versions. */
  repo: SearchReindexRepository;
  /** Reads a phone number searched for without a country code. */
  phoneRegion: string;
}
