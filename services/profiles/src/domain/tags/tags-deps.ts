import type { Db } from '@crm/service-kit';
import type { TagsRepository } from '../../db/tags.repository.js';
import type { CustomersDeps } from '../customers/customers-deps.js';

/** What the tag catalog's use cases work with, built once in service.ts. */
export interface TagsDeps {
  db: Db;
  repo: TagsRepository;
  /** Renaming or deleting a tag changes every customer carrying it. */
  customers: CustomersDeps;
}
