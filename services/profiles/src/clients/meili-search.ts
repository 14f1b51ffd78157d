import type { SearchHit } from '@crm/contracts';
import type { Executor, CustomerScope } from '@crm/service-kit';
import { Meilisearch, type Index } from 'meilisearch';
import { searchNamesOf } from '../domain/search/fold.js';
import type { SearchDocument, SearchIndex, SearchRequest } from '../domain/search/search-index.js';

/** One document per customer; ids are unique across tenants (UUIDs). */
export interface MeiliCustomer {
  id: string;
  tenant_id: string;
  first_name: string;
  last_name: string;
  company_name: string | null;
  /**
   * First, last and company name folded as queries are (`zoe muller-lukasz`), so a query
   * typed without accents matches whatever Meilisearch's own normalising leaves of a letter
   * such as `ł`; documents written before it lack it.
   */
  search_names?: string;
  email: string | null;
  phone: string | null;
  /** Every number, the primary included; documents written before it lack it. */
  phones?: string[];
  tags: string[];
  custom_text: string[];
  customer_status: string;
  customer_stage: string;
  vip_status: boolean;
  owner_id: string | null;
  team_id: string | null;
  collaborator_ids: string[];
  version: number;
  updated_at: string;
  updated_at_ts: number;
}

export const MEILI_SETTINGS = {
  searchableAttributes: [
    'first_name',
    'last_name',
    'company_name',
    'search_names',
    'email',
    'phone',
    'phones',
    'tags',
    'custom_text',
  ],
  filterableAttributes: [
    'tenant_id',
    'owner_id',
    'team_id',
    'collaborator_ids',
    'customer_status',
    'customer_stage',
    'vip_status',
    'tags',
    'email',
    'phone',
    'phones',
  ],
  sortableAttributes: ['last_name', 'updated_at_ts'],
};

/** A filter value in double quotes, so no value can close the quote and add a clause. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function scopeFilter(scope: CustomerScope): string[] {
  const tenant = `tenant_id = ${quote(scope.tenantId)}`;
  switch (scope.kind) {
    case 'tenant':
      return [tenant];
    case 'owner':
      return [
        tenant,
        `(owner_id = ${quote(scope.ownerId)} OR collaborator_ids = ${quote(scope.ownerId)})`,
      ];
    case 'team': {
      const alternatives = [
        `owner_id = ${quote(scope.ownerId)}`,
        `collaborator_ids = ${quote(scope.ownerId)}`,
        ...(scope.teams.length > 0 ? [`team_id IN [${scope.teams.map(quote).join(', ')}]`] : []),
      ];
      return [tenant, `(${alternatives.join(' OR ')})`];
    }
    case 'self':
      return [tenant, `id = ${quote(scope.customerId)}`];
  }
}

/** The filter of a request: the tenant (always first), the caller's access, then the filters. */
export function filterOf(req: SearchRequest): string[] {
  const parts = scopeFilter(req.scope);
  if (req.match.kind === 'email') parts.push(`email = ${quote(req.match.email)}`);
  if (req.match.kind === 'phone') {
    // `phone` too: documents indexed before `phones` existed carry only the primary.
    const phone = quote(req.match.phone);
    parts.push(`(phones = ${phone} OR phone = ${phone})`);
  }
  const { status, stage, vip, tags } = req.filters;
  if (status) parts.push(`customer_status = ${quote(status)}`);
  if (stage) parts.push(`customer_stage = ${quote(stage)}`);
  if (vip !== undefined) parts.push(`vip_status = ${vip ? 'true' : 'false'}`);
  for (const tag of tags) parts.push(`tags = ${quote(tag)}`);
  return parts;
}

function toMeili(doc: SearchDocument): MeiliCustomer {
  return {
    id: doc.customerId,
    tenant_id: doc.tenantId,
    first_name: doc.firstName,
    last_name: doc.lastName,
    company_name: doc.companyName,
    search_names: searchNamesOf(doc),
    email: doc.email,
    phone: doc.phone,
    phones: doc.phones,
    tags: doc.tags,
    custom_text: doc.customText,
    customer_status: doc.customerStatus,
    customer_stage: doc.customerStage,
    vip_status: doc.vipStatus,
    owner_id: doc.ownerId,
    team_id: doc.teamId,
    collaborator_ids: doc.collaboratorIds,
    version: doc.version,
    updated_at: doc.updatedAt.toISOString(),
    updated_at_ts: doc.updatedAt.getTime(),
  };
}

const SORTS: Record<Exclude<SearchRequest['sort'], 'relevance'>, string> = {
  last_name: 'last_name:asc',
  '-last_name': 'last_name:desc',
  updated_at: 'updated_at_ts:asc',
  '-updated_at': 'updated_at_ts:desc',
};

export interface MeiliOptions {
  url: string;
  apiKey?: string | undefined;
  /** The index's uid. */
  index: string;
  /** How long one request may take; 5 s unless told. */
  timeoutMs?: number;
}

/** Meilisearch behind the same interface; used when MEILI_URL is set. */
export class MeiliSearchIndex implements SearchIndex {
  readonly engine = 'meilisearch' as const;
  private readonly index: Index<MeiliCustomer>;
  private readonly client: Meilisearch;

  private readonly uid: string;

  constructor(options: MeiliOptions) {
    this.uid = options.index;
    this.client = new Meilisearch({
      host: options.url,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      timeout: options.timeoutMs ?? 5_000,
    });
    this.index = this.client.index<MeiliCustomer>(this.uid);
  }

  /** Creates the index when missing and applies the settings; both are idempotent. */
  async start(): Promise<void> {
    await this.client.createIndex(this.uid, { primaryKey: 'id' }).waitTask();
    await this.index.updateSettings(MEILI_SETTINGS).waitTask();
  }

  async upsert(_tx: Executor, doc: SearchDocument): Promise<void> {
    // Enqueued, not awaited to completion: Meilisearch applies tasks of one index in order.
    await this.index.addDocuments([toMeili(doc)], { primaryKey: 'id' });
  }

  /** Waits for the task, so a reindex goes no faster than Meilisearch applies its batches. */
  async upsertMany(_tx: Executor, docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const task = await this.index.addDocuments(docs.map(toMeili), { primaryKey: 'id' }).waitTask({
      timeout: 120_000,
    });
    if (task.status !== 'succeeded') {
      throw new Error(
        `Meilisearch did not apply the documents: ${task.error?.message ?? task.status}`,
      );
    }
  }

  async remove(_tx: Executor, _tenantId: string, customerIds: string[]): Promise<void> {
    if (customerIds.length > 0) await this.index.deleteDocuments(customerIds);
  }

  async search(req: SearchRequest): Promise<SearchHit[]> {
    const q = req.match.kind === 'words' ? req.match.text : '';
    const result = await this.index.search(q, {
      filter: filterOf(req),
      // Every word must match, as with Postgres (Meilisearch's default drops words from the end).
      matchingStrategy: 'all',
      limit: req.limit,
      offset: req.offset,
      ...(req.sort === 'relevance' ? {} : { sort: [SORTS[req.sort]] }),
    });
    return result.hits.map((h) => ({
      id: h.id,
      first_name: h.first_name,
      last_name: h.last_name,
      email: h.email,
      phone: h.phone,
      company_name: h.company_name,
      customer_status: h.customer_status,
      customer_stage: h.customer_stage,
      vip_status: h.vip_status,
      tags: h.tags,
      updated_at: h.updated_at,
    }));
  }
}
