import { createHash } from 'node:crypto';
import { newId, type CreateImportQuery, type CustomerImport } from '@crm/contracts';
import { AppError, transaction, type Principal } from '@crm/service-kit';
import { readCsv } from './csv.js';
import { toImportDto } from './customer-import.js';
import type { ImportsDeps } from './imports-deps.js';
import { planImport } from './mapping.js';

/**
 * Checks the options, the file's shape and the mapping, stores the file and queues the work;
 * nothing is stored when any of that fails. The import runs in the background.
 */
export async function createCustomerImport(
  deps: ImportsDeps,
  principal: Principal,
  query: CreateImportQuery,
  upload: Buffer,
): Promise<CustomerImport> {
  const csv = await readCsv(upload);
  const definitions = await deps.fields.list(deps.db, principal.tenant);
  planImport(csv.header, query.mapping, definitions);
  const queue = deps.queue;
  if (queue === undefined) throw new AppError('internal', 'The import queue is not running');
  const now = deps.clock();
  const row = await transaction(deps.db, ({ db: tx }) =>
    deps.repo.insert(
      tx,
      {
        tenantId: principal.tenant,
        id: newId(),
        status: 'queued',
        dryRun: query.dry_run,
        onDuplicate: query.on_duplicate,
        mapping: query.mapping,
        phoneRegion: query.phone_region ?? deps.phoneRegion,
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
  await queue.enqueue(principal.tenant, row.id);
  return toImportDto(row, now);
}
