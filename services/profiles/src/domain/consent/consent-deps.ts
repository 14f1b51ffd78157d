import type { Db, Outbox } from '@crm/service-kit';
import type { ConsentRepository } from '../../db/consent.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { CustomerKeys } from '../privacy/customer-keys.js';

/**
 * What the consent ledger's use cases work with, built once in service.ts. Records are only
 * ever added; what holds now is the newest record of each channel and purpose. Comms checks
 * it, with do_not_contact, at send time.
 */
export interface ConsentDeps {
  db: Db;
  repo: ConsentRepository;
  customers: CustomersRepository;
  audit: AuditTrail;
  outbox: Outbox;
  /** Notes are sealed with the customer's data key. */
  keys: CustomerKeys;
  clock: () => Date;
}
