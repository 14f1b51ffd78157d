import type { PutTenantSettingsBody, TenantSettings } from '@crm/contracts';
import type { Db, Outbox } from '@crm/service-kit';
import type {
  TenantConventions,
  TenantSettingsRepository,
} from '../../db/tenant-settings.repository.js';
import type { TenantSettingsRow } from '../../db/schema.js';

/** What the tenant settings use cases work with, built once in service.ts. */
export interface SettingsDeps {
  db: Db;
  outbox: Outbox;
  settings: TenantSettingsRepository;
  /** What a tenant that never set its own is shown in (TENANT_LOCALE, ...), canonical. */
  defaults: TenantConventions;
  clock: () => Date;
}

/**
 * The form the settings are stored and answered in: `en-gb` as `en-GB`, `europe/berlin` as
 * `Europe/Berlin`. The values were validated against the contract's schemas already.
 */
export function canonical(values: PutTenantSettingsBody): TenantConventions {
  const [locale] = Intl.getCanonicalLocales(values.locale);
  return {
    locale: locale ?? values.locale,
    timezone: new Intl.DateTimeFormat('en', { timeZone: values.timezone }).resolvedOptions()
      .timeZone,
    currency: values.currency,
  };
}

export function toTenantSettings(row: TenantSettingsRow): TenantSettings {
  return {
    locale: row.locale,
    timezone: row.timezone,
    currency: row.currency,
    version: row.version,
    updated_at: row.updatedAt.toISOString(),
  };
}

/** A tenant that never set its own: the defaults, at version 0. */
export function defaultSettings(defaults: TenantConventions): TenantSettings {
  return { ...defaults, version: 0, updated_at: null };
}
