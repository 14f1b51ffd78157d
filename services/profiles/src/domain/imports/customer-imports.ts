import { createHash } from 'node:crypto';
import {
  newId,
  type CreateImportQuery,
  type CustomerImport,
  type ImportRowError,
  type ListImportErrorsQuery,
  type ListImportsQuery,
  type Page,
} from '@crm/contracts';
import {
  AppError,
  CursorTime,
  type Db,
  encodeCursor,
  notFound,
  type Principal,
  readCursor,
  transaction,
} from '@crm/service-kit';
import { z } from 'zod';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { ImportRow, ImportsRepository } from '../../db/imports.repository.js';
import { planImport } from './mapping.js';
import { readCsv } from './csv.js';

/** Where the next page of imports starts: the last one's creation time and id. */
const ImportCursor = z.tuple([CursorTime, z.uuid()]);
/** Where the next page of row errors starts: the last one's row and sequence number. */
const ImportErrorCursor = z.tuple([z.number().int(), z.number().int()]);

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

/** CSV imports of customers: accepted here, run by the ImportRunner in the background. */
export class CustomerImports {
  private queue: ImportQueue | undefined;

  constructor(
    private readonly db: Db,
    private readonly repo: ImportsRepository,
    private readonly fields: CustomFieldsRepository,
    private readonly phoneRegion: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  useQueue(queue: ImportQueue): void {
    this.queue = queue;
  }

  /**
   * Checks the options, the file's shape and the mapping, stores the file and queues the
   * work; nothing is stored when any of that fails.
   */
  async start(
    principal: Principal,
    query: CreateImportQuery,
    upload: Buffer,
  ): Promise<CustomerImport> {
    const csv = await readCsv(upload);
    const definitions = await this.fields.list(this.db, principal.tenant);
    planImport(csv.header, query.mapping, definitions);
    if (this.queue === undefined) throw new AppError('internal', 'The import queue is not running');
    const now = this.clock();
    const row = await transaction(this.db, ({ db: tx }) =>
      this.repo.insert(
        tx,
        {
          tenantId: principal.tenant,
          id: newId(),
          status: 'queued',
          dryRun: query.dry_run,
          onDuplicate: query.on_duplicate,
          mapping: query.mapping,
          phoneRegion: query.phone_region ?? this.phoneRegion,
          requestedBy: {
            sub: principal.sub,
            role: principal.role === 'admin' ? 'admin' : 'manager',
            teams: principal.teams,
            name: principal.name ?? null,
          },
          createdBy: principal.sub,
          byteSize: upload.length,
          sha256: createHash('sha256').update(upload).digest('hex'),
          totalRows: csv.rows,
          createdAt: now,
          updatedAt: now,
        },
        upload,
      ),
    );
    // After commit; a job lost between the two is queued again when the service starts.
    await this.queue.enqueue(principal.tenant, row.id);
    return toImportDto(row, now);
  }

  async get(principal: Principal, id: string): Promise<CustomerImport> {
    return toImportDto(await this.find(principal, id), this.clock());
  }

  async list(principal: Principal, query: ListImportsQuery): Promise<Page<CustomerImport>> {
    let after: { createdAt: Date; id: string } | undefined;
    if (query.cursor) {
      const [createdAt, id] = readCursor(ImportCursor, query.cursor);
      after = { createdAt, id };
    }
    const rows = await this.repo.list(
      this.db,
      principal.tenant,
      this.ownerFilter(principal),
      after,
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const now = this.clock();
    return {
      data: page.map((r) => toImportDto(r, now)),
      next_cursor:
        rows.length > query.limit && last
          ? encodeCursor([last.createdAt.toISOString(), last.id])
          : null,
    };
  }

  async errors(
    principal: Principal,
    id: string,
    query: ListImportErrorsQuery,
  ): Promise<Page<ImportRowError>> {
    await this.find(principal, id);
    let after: { row: number; seq: number } | undefined;
    if (query.cursor) {
      const [row, seq] = readCursor(ImportErrorCursor, query.cursor);
      after = { row, seq };
    }
    const rows = await this.repo.errors(this.db, principal.tenant, id, after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map((r) => ({
        row: r.rowNumber,
        column: r.column,
        code: r.code,
        message: r.message,
      })),
      next_cursor:
        rows.length > query.limit && last ? encodeCursor([last.rowNumber, last.seq]) : null,
    };
  }

  /** The whole report as CSV rows, header first, read in keyset batches. */
  async errorRows(principal: Principal, id: string): Promise<AsyncIterable<string[]>> {
    await this.find(principal, id);
    const { db, repo } = this;
    const tenantId = principal.tenant;
    return {
      async *[Symbol.asyncIterator]() {
        yield ['row', 'column', 'code', 'message'];
        let after: { row: number; seq: number } | undefined;
        for (;;) {
          const rows = await repo.errors(db, tenantId, id, after, 1000);
          for (const r of rows) yield [String(r.rowNumber), r.column ?? '', r.code, r.message];
          const last = rows.at(-1);
          if (!last || rows.length < 1000) return;
          after = { row: last.rowNumber, seq: last.seq };
        }
      },
    };
  }

  private async find(principal: Principal, id: string): Promise<ImportRow> {
    const row = await this.repo.find(this.db, principal.tenant, id, this.ownerFilter(principal));
    if (!row) throw notFound('Import');
    return row;
  }

  /** Admins see every import of the tenant, managers the ones they started. */
  private ownerFilter(principal: Principal): string | undefined {
    return principal.role === 'admin' ? undefined : principal.sub;
  }
}
