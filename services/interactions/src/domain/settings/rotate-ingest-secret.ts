import type { IngestCredentials } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import { newIngestSecret } from '../../db/settings.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { requireAdmin } from './shared.js';

/** A new secret, shown once; the old one stops verifying at once. */
export async function rotateIngestSecret(
  deps: InteractionsDeps,
  principal: Principal,
): Promise<IngestCredentials> {
  requireAdmin(principal);
  const secret = newIngestSecret();
  const row = await deps.repositories.settings.update(deps.db, principal.tenant, {
    ingestSecret: secret,
  });
  return { tenant_id: principal.tenant, ingest_secret: secret, tracking_key: row.trackingKey };
}
