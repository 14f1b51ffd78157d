import type { Db, Outbox } from '@crm/service-kit';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomersDeps } from '../customers/customers-deps.js';

/** What the custom field builder's use cases work with, built once in service.ts. */
export interface CustomFieldsDeps {
  db: Db;
  repo: CustomFieldsRepository;
  /** Switching a field on or off, or deleting it, changes every customer with a value. */
  customers: CustomersDeps;
  /** Every change is published so segments can filter on it at once. */
  outbox: Outbox;
  /** How many custom fields a tenant may define (setting max_custom_fields). */
  maxFields: number;
}
