import { makeEvent, type PutTenantSettingsBody, type TenantSettings } from '@crm/contracts';
import { AppError, matchesIfMatch, transaction, type Principal } from '@crm/service-kit';
import { canonical, toTenantSettings, type SettingsDeps } from './tenant-settings.js';

/**
 * An admin sets the tenant's locale, time zone and currency. The first time, `If-Match: "0"`
 * matches the defaults that applied until then.
 */
export async function putTenantSettings(
  deps: SettingsDeps,
  principal: Principal,
  body: PutTenantSettingsBody,
  ifMatch: string | undefined,
): Promise<TenantSettings> {
  const tenant = principal.tenant;
  const wanted = canonical(body);
  return transaction(deps.db, async ({ db: tx }) => {
    await deps.settings.lockTenant(tx, tenant);
    const current = await deps.settings.find(tx, tenant);
    if (!matchesIfMatch(ifMatch, current?.version ?? 0)) {
      throw new AppError('precondition_failed', 'The settings changed since you read them');
    }
    if (
      current &&
      current.locale === wanted.locale &&
      current.timezone === wanted.timezone &&
      current.currency === wanted.currency
    ) {
      return toTenantSettings(current);
    }
    const row = await deps.settings.save(tx, tenant, wanted, principal.sub, deps.clock());
    const settings = toTenantSettings(row);
    await deps.outbox.append(tx, [
      {
        event: makeEvent({
          type: 'crm.tenant.settings_changed.v1',
          source: 'crm/gateway',
          tenantId: tenant,
          sequence: row.version,
          data: {
            settings,
            changed_by: { type: 'staff', id: principal.sub, name: principal.name ?? null },
          },
        }),
      },
    ]);
    return settings;
  });
}
