import type { SearchHit } from '@crm/contracts';
import type { Executor, CustomerScope } from '@crm/service-kit';

/** What the index keeps of a customer: what is searched, filtered, sorted and shown. */
export interface SearchDocument {
  tenantId: string;
  customerId: string;
  firstName: string;
  lastName: string;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  /** Every number, the primary included. */
  phones: string[];
  tags: string[];
  /** Values of custom text fields that are not sensitive. */
  customText: string[];
  customerStatus: string;
  customerStage: string;
  vipStatus: boolean;
  ownerId: string | null;
  teamId: string | null;
  collaboratorIds: string[];
  version: number;
  updatedAt: Date;
}

export type SearchMatch =
  | { kind: 'email'; email: string }
  | { kind: 'phone'; phone: string }
  /** Folded words (`foldForSearch`), every one of which must match; `text` joins them. */
  | { kind: 'words'; text: string; words: string[] };

export interface SearchRequest {
  scope: CustomerScope;
  match: SearchMatch;
  filters: {
    status?: string | undefined;
    stage?: string | undefined;
    vip?: boolean | undefined;
    tags: string[];
  };
  sort: 'relevance' | 'last_name' | '-last_name' | 'updated_at' | '-updated_at';
  limit: number;
  offset: number;
}

/**
 * Customer search, served by Postgres (the default) or Meilisearch (`MEILI_URL`). Every
 * implementation confines a query to the scope's tenant and to what the scope may see.
 */
export interface SearchIndex {
  readonly engine: 'postgres' | 'meilisearch';
  start(): Promise<void>;
  upsert(tx: Executor, doc: SearchDocument): Promise<void>;
  /**
   * Many documents at once (the reindex); like `upsert`, never replaces a newer version
   * where the engine can compare versions. Resolves once the engine has applied them.
   */
  upsertMany(tx: Executor, docs: SearchDocument[]): Promise<void>;
  remove(tx: Executor, tenantId: string, customerIds: string[]): Promise<void>;
  search(req: SearchRequest): Promise<SearchHit[]>;
}

export function hitOf(doc: SearchDocument): SearchHit {
  return {
    id: doc.customerId,
    first_name: doc.firstName,
    last_name: doc.lastName,
    email: doc.email,
    phone: doc.phone,
    company_name: doc.companyName,
    customer_status: doc.customerStatus,
    customer_stage: doc.customerStage,
    vip_status: doc.vipStatus,
    tags: doc.tags,
    updated_at: doc.updatedAt.toISOString(),
  };
}
