import type { AuditDeps } from './domain/audit/audit-deps.js';
import type { ConsentDeps } from './domain/consent/consent-deps.js';
import type { CustomFieldsDeps } from './domain/custom-fields/custom-fields-deps.js';
import type { CustomersDeps } from './domain/customers/customers-deps.js';
import type { ExportDeps } from './domain/export/export-deps.js';
import type { ImportsDeps } from './domain/imports/imports-deps.js';
import type { MergeDeps } from './domain/merge/merge-deps.js';
import type { OpportunitiesDeps } from './domain/opportunities/opportunities-deps.js';
import type { PicturesDeps } from './domain/pictures/pictures-deps.js';
import type { ErasureDeps } from './domain/privacy/erasure-deps.js';
import type { RelationshipsDeps } from './domain/relationships/relationships-deps.js';
import type { SearchDeps } from './domain/search/search-deps.js';
import type { StagesDeps } from './domain/stages/stages-deps.js';
import type { TagsDeps } from './domain/tags/tags-deps.js';

/**
 * What every route and event handler of the service is given: each feature's typed deps,
 * built once in service.ts.
 */
export interface ProfilesDeps {
  customers: CustomersDeps;
  tags: TagsDeps;
  stages: StagesDeps;
  customFields: CustomFieldsDeps;
  audit: AuditDeps;
  consent: ConsentDeps;
  search: SearchDeps;
  merge: MergeDeps;
  relationships: RelationshipsDeps;
  opportunities: OpportunitiesDeps;
  pictures: PicturesDeps;
  exports: ExportDeps;
  imports: ImportsDeps;
  erasure: ErasureDeps;
}
