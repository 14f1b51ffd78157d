import type { Db } from '@crm/service-kit';
import type { AuditRepository } from '../../db/audit.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { CustomerKeys } from '../privacy/customer-keys.js';
import type { AuditTrail } from './audit-trail.js';

/** What the audit use cases work with, built once in service.ts. */
export interface AuditDeps {
  db: Db;
  repo: AuditRepository;
  customers: CustomersRepository;
  keys: CustomerKeys;
  /** The writer every change records through. */
  trail: AuditTrail;
}
