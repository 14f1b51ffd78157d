import type { Db } from '@crm/service-kit';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { RelationshipsRepository } from '../../db/relationships.repository.js';
import type { AuditTrail } from '../audit/audit-trail.js';

/**
 * What the use cases of typed two-sided relationships between customers, and of households,
 * work with; built once in service.ts.
 */
export interface RelationshipsDeps {
  db: Db;
  repo: RelationshipsRepository;
  customers: CustomersRepository;
  /** Both customers of a relationship, and every member of a household, record the change. */
  audit: AuditTrail;
}
