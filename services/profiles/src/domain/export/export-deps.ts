import type { Db } from '@crm/service-kit';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';

/** What the CSV export works with, built once in service.ts. */
export interface ExportDeps {
  db: Db;
  customers: CustomersRepository;
  fields: CustomFieldsRepository;
  /** Setting export_enabled: a tenant's customers leave in bulk only when it is on. */
  enabled: boolean;
}
