import type { TrackingSettings } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import type { InteractionsDeps } from '../../deps.js';
import { requireAdmin, toTrackingSettings } from './shared.js';

export async function getTrackingSettings(
  deps: InteractionsDeps,
  principal: Principal,
): Promise<TrackingSettings> {
  requireAdmin(principal);
  return toTrackingSettings(await deps.repositories.settings.ensure(deps.db, principal.tenant));
}
