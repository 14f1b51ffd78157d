import type { CustomerImport } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import type { ImportRow } from '../../db/imports.repository.js';
import type { ImportsDeps } from './imports-deps.js';

/** Where a stored import is handed to the background worker. */
export interface ImportQueue {
  enqueue(tenantId: string, importId: string): Promise<void>;
}

export function toImportDto(row: ImportRow, now: Date): CustomerImport {
  const end = row.finishedAt ?? (row.status === 'running' ? now : null);
  const durationMs = row.startedAt && end ? end.getTime() - row.startedAt.getTime() : null;
  return {
    id: row.id,
    status: row.status as CustomerImport['status'],
    dry_run: row.dryRun,
    on_duplicate: row.onDuplicate as CustomerImport['on_duplicate'],
    mapping: row.mapping,
    phone_region: row.phoneRegion,
    created_by: row.createdBy,
    byte_size: row.byteSize,
    total_rows: row.totalRows,
    processed_rows: row.processedRows,
    created: row.createdCount,
    updated: row.updatedCount,
    skipped: row.skippedCount,
    failed: row.failedCount,
    failure: row.failure,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
    duration_ms: durationMs,
    rows_per_second:
      durationMs !== null && durationMs > 0
        ? Math.round((row.processedRows / durationMs) * 1000 * 10) / 10
        : null,
  };
}

/** Admins see every import of the tenant, managers the ones they started. */
function ownerFilter(principal: Principal): string | undefined {
  return principal.role === 'admin' ? undefined : principal.sub;
}

export async function findImport(
  deps: ImportsDeps,
  principal: Principal,
  id: string,
): Promise<ImportRow> {
  const row = await deps.repo.find(deps.db, principal.tenant, id, ownerFilter(principal));
  if (!row) throw notFound('Import');
  return row;
}

/** The imports the caller sees, newest first, from `after` on. */
export async function importsOf(
  deps: ImportsDeps,
  principal: Principal,
  after: { createdAt: Date; id: string } | undefined,
  limit: number,
): Promise<ImportRow[]> {
  return deps.repo.list(deps.db, principal.tenant, ownerFilter(principal), after, limit);
}
