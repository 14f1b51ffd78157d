import type { Db, Logger, Outbox } from '@crm/service-kit';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { ImportsRepository } from '../../db/imports.repository.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { CustomersDeps } from '../customers/customers-deps.js';
import type { ImportQueue } from './customer-import.js';

/**
 * What CSV imports of customers work with, built once in service.ts: accepted by the routes,
 * run in the background batch by batch.
 */
export interface ImportsDeps {
  db: Db;
  repo: ImportsRepository;
  fields: CustomFieldsRepository;
  /** Each row is created or updated by the customer use cases. */
  customers: CustomersDeps;
  audit: AuditTrail;
  outbox: Outbox;
  logger: Logger;
  clock: () => Date;
  /** Reads local numbers of an import that names no region of its own. */
  phoneRegion: string;
  /** Set once the import jobs run; until then no import is accepted. */
  queue?: ImportQueue;
}
