import { transaction } from '@crm/service-kit';
import { documentOf } from './search-customers.js';
import type { SearchDeps } from './search-deps.js';
import type { SearchDocument } from './search-index.js';

/** Where a reindex stands: every customer of earlier tenants, and of this one up to `afterId`. */
export interface ReindexPosition {
  tenantId: string;
  afterId: string | null;
}

export interface ReindexProgress {
  position: ReindexPosition;
  /** Documents written in this run, and the customers the run set out to cover. */
  done: number;
  total: number;
  /** Documents written again because their customer changed while the batch was written. */
  rewritten: number;
  /** Documents removed because their customer went away (merged) during the run. */
  removed: number;
  elapsedMs: number;
}

export interface ReindexOptions {
  /** Only these tenants; all tenants holding customers when left out. */
  tenants?: string[] | undefined;
  batchSize: number;
  /** Resume after this position (what the last `onBatch` reported). */
  from?: ReindexPosition | undefined;
  onBatch?: (progress: ReindexProgress) => void | Promise<void>;
}

/** How often a batch is checked again for customers that moved on while it was written. */
const CATCH_UP_ROUNDS = 5;

/**
 * Rebuilds the search documents from the customers table, a batch of customers (in id
 * order) per transaction, tenant after tenant, so it can run while the service does and
 * resume where it stopped. A customer updated meanwhile keeps its newer document: Postgres
 * refuses an older version, and after each batch every customer whose version moved since
 * it was read is written again from its current state (which is what keeps Meilisearch,
 * which cannot compare versions, right).
 */
export async function reindexSearch(
  deps: SearchDeps,
  options: ReindexOptions,
): Promise<ReindexProgress> {
  const started = performance.now();
  const all = options.tenants
    ? [...new Set(options.tenants.map((t) => t.toLowerCase()))].sort()
    : await deps.repo.tenants(deps.db);
  const from = options.from;
  const tenants = from ? all.filter((t) => t >= from.tenantId) : all;
  const progress: ReindexProgress = {
    position: from ?? { tenantId: tenants[0] ?? '', afterId: null },
    done: 0,
    total: await deps.repo.count(deps.db, tenants),
    rewritten: 0,
    removed: 0,
    elapsedMs: 0,
  };
  for (const tenantId of tenants) {
    let afterId = from && from.tenantId === tenantId ? from.afterId : null;
    const searchable = await deps.fields.searchableNames(deps.db, tenantId);
    for (;;) {
      const docs = await transaction(deps.db, async ({ db: tx }) => {
        const records = await deps.customers.scan(
          tx,
          tenantId,
          {},
          afterId ?? undefined,
          options.batchSize,
        );
        const batch = records.map((r) => documentOf(r, searchable));
        await deps.index.upsertMany(tx, batch);
        return batch;
      });
      const last = docs.at(-1);
      if (!last) break;
      await catchUp(deps, tenantId, docs, searchable, progress);
      afterId = last.customerId;
      progress.done += docs.length;
      progress.position = { tenantId, afterId };
      progress.elapsedMs = performance.now() - started;
      await options.onBatch?.(progress);
      if (docs.length < options.batchSize) break;
    }
  }
  if (deps.index.engine === 'postgres' && progress.done > 0) await deps.repo.analyze(deps.db);
  progress.elapsedMs = performance.now() - started;
  return progress;
}

/**
 * Writes again, from its current row, each customer of `written` whose version moved on
 * since the batch read it, and removes the documents of customers merged away meanwhile;
 * repeats until the batch holds still (a few rounds at most).
 */
async function catchUp(
  deps: SearchDeps,
  tenantId: string,
  written: SearchDocument[],
  searchable: Set<string>,
  progress: ReindexProgress,
): Promise<void> {
  let pending = written;
  for (let round = 0; round < CATCH_UP_ROUNDS && pending.length > 0; round++) {
    const current = await deps.repo.versions(
      deps.db,
      tenantId,
      pending.map((d) => d.customerId),
    );
    const gone = pending.filter((d) => !current.has(d.customerId)).map((d) => d.customerId);
    const moved = pending
      .filter((d) => current.has(d.customerId) && current.get(d.customerId) !== d.version)
      .map((d) => d.customerId);
    if (gone.length === 0 && moved.length === 0) return;
    pending = await transaction(deps.db, async ({ db: tx }) => {
      if (gone.length > 0) await deps.index.remove(tx, tenantId, gone);
      const rows = await deps.customers.visible(tx, { kind: 'tenant', tenantId }, moved);
      const records = await deps.customers.records(tx, rows);
      const docs = records.map((r) => documentOf(r, searchable));
      await deps.index.upsertMany(tx, docs);
      return docs;
    });
    progress.removed += gone.length;
    progress.rewritten += pending.length;
  }
}
