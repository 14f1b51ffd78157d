import type { TenantSettings } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import { defaultSettings, toTenantSettings, type SettingsDeps } from './tenant-settings.js';

export async function getTenantSettings(
  deps: SettingsDeps,
  principal: Principal,
): Promise<TenantSettings> {
  const row = await deps.settings.find(deps.db, principal.tenant);
  return row ? toTenantSettings(row) : defaultSettings(deps.defaults);
}
