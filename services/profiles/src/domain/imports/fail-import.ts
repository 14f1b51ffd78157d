import { transaction } from '@crm/service-kit';
import type { ImportRow } from '../../db/imports.repository.js';
import type { ImportsDeps } from './imports-deps.js';

/** Marks the import failed with why, unless it is finished already. */
export async function failImport(deps: ImportsDeps, imp: ImportRow, why: string): Promise<void> {
  await transaction(deps.db, async ({ db: tx }) => {
    const cur = await deps.repo.lock(tx, imp.tenantId, imp.id);
    if (!cur || cur.status === 'completed' || cur.status === 'failed') return;
    await deps.repo.finish(tx, imp.tenantId, imp.id, 'failed', why.slice(0, 500), deps.clock());
    await deps.repo.forgetKeys(tx, imp.tenantId, imp.id);
  });
  deps.logger.warn({ import_id: imp.id, tenant_id: imp.tenantId, why }, 'customer import failed');
}
