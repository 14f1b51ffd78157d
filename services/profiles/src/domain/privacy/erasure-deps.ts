import type { Db, Outbox } from '@crm/service-kit';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { ErasureRepository } from '../../db/erasure.repository.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { CustomerKeys } from './customer-keys.js';

/** What erasing a customer works with, built once in service.ts. */
export interface ErasureDeps {
  db: Db;
  repo: ErasureRepository;
  customers: CustomersRepository;
  keys: CustomerKeys;
  audit: AuditTrail;
  outbox: Outbox;
  clock: () => Date;
}
