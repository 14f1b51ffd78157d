import type { Db, MemberDirectory } from '@crm/service-kit';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { MergeRepository } from '../../db/merge.repository.js';
import type { TagsRepository } from '../../db/tags.repository.js';
import type { CustomFieldValues } from '../custom-fields/custom-field-values.js';
import type { StagesDeps } from '../stages/stages-deps.js';
import type { CustomerEvents } from './customer-events.js';
import type { CustomerSettings } from './customer-changes.js';

/** What every customer use case works with, built once in service.ts. */
export interface CustomersDeps {
  db: Db;
  repo: CustomersRepository;
  tags: TagsRepository;
  stages: StagesDeps;
  events: CustomerEvents;
  fieldValues: CustomFieldValues;
  fieldsRepo: CustomFieldsRepository;
  merges: MergeRepository;
  settings: CustomerSettings;
  /** Owners and collaborators must be active members of the staff directory. */
  members: MemberDirectory;
}
