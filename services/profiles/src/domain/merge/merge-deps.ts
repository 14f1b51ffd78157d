import type { Db, Outbox } from '@crm/service-kit';
import type { ConsentRepository } from '../../db/consent.repository.js';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { MergeRepository } from '../../db/merge.repository.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { CustomerEvents } from '../customers/customer-events.js';
import type { SensitiveFields } from '../privacy/sensitive-fields.js';

/** What duplicate suggestions and merging customers work with, built once in service.ts. */
export interface MergeDeps {
  db: Db;
  repo: MergeRepository;
  customers: CustomersRepository;
  fields: CustomFieldsRepository;
  consent: ConsentRepository;
  events: CustomerEvents;
  audit: AuditTrail;
  outbox: Outbox;
  /** Sensitive values move to the survivor sealed again for it. */
  sensitive: SensitiveFields;
  clock: () => Date;
}
