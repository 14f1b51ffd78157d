import type { PgBoss } from '@crm/service-kit';
import { failImport } from '../domain/imports/fail-import.js';
import type { ImportsDeps } from '../domain/imports/imports-deps.js';
import { runImport } from '../domain/imports/run-import.js';

export const IMPORT_QUEUE = 'customer-import';
/** Attempts after the first; a retry resumes after the last committed batch. */
const RETRY_LIMIT = 5;

interface ImportJob {
  tenant_id: string;
  import_id: string;
  /** Fixed when queued, so whichever replica runs it cuts the same batches. */
  batch_size: number;
}

/**
 * CSV imports on pg-boss: a job per import, retried with back-off; the last failed
 * attempt marks the import failed. Imports left unfinished by a stopped process are
 * queued again at start.
 */
export async function startImportJobs(
  boss: PgBoss,
  deps: ImportsDeps,
  batchSize: number,
): Promise<void> {
  await boss.createQueue(IMPORT_QUEUE, {
    retryLimit: RETRY_LIMIT,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 60,
    // A worker that dies stops its heartbeat: the job is retried within a minute, not at expiry.
    heartbeatSeconds: 30,
    expireInSeconds: 24 * 60 * 60,
  });
  const enqueue = async (tenantId: string, importId: string): Promise<void> => {
    const job: ImportJob = { tenant_id: tenantId, import_id: importId, batch_size: batchSize };
    await boss.send(IMPORT_QUEUE, job, { singletonKey: importId });
  };
  deps.queue = { enqueue };
  await boss.work<ImportJob>(IMPORT_QUEUE, async ([job]) => {
    if (!job) return;
    const { tenant_id, import_id, batch_size } = job.data;
    try {
      await runImport(deps, tenant_id, import_id, batch_size, job.signal);
    } catch (err) {
      deps.logger.error(
        { err, import_id, attempt: job.retryCount + 1 },
        'customer import attempt failed',
      );
      if (job.retryCount >= RETRY_LIMIT) {
        const imp = await deps.repo.find(deps.db, tenant_id, import_id, undefined);
        const why = err instanceof Error ? err.message : 'unknown error';
        if (imp) await failImport(deps, imp, `Stopped after ${RETRY_LIMIT + 1} attempts: ${why}`);
      }
      throw err;
    }
  });
  for (const left of await deps.repo.unfinished(deps.db)) await enqueue(left.tenantId, left.id);
}
