import { z } from 'zod';
import * as http from '../common.js';
import { PutTenantSettingsBody, TenantSettings } from './settings.js';

const versioned = z.object({ ETag: http.VersionETag });

export const settingsRoutes = {
  getTenantSettings: {
    id: 'getTenantSettings',
    method: 'get',
    path: '/crm/settings/tenant',
    service: 'gateway',
    summary: "The tenant's locale, time zone and currency",
    description:
      'What dates, times, numbers and money are shown in for the business. A tenant that never set its own gets the installation defaults (`TENANT_LOCALE`, `TENANT_TIMEZONE`, `TENANT_CURRENCY`) with `version` 0.',
    tags: ['Settings'],
    roles: http.STAFF,
    request: {},
    responses: {
      200: http.json('The settings.', TenantSettings, versioned),
      ...http.guarded,
    },
    auth: 'jwt',
  },
  putTenantSettings: {
    id: 'putTenantSettings',
    method: 'put',
    path: '/crm/settings/tenant',
    service: 'gateway',
    summary: "Set the tenant's locale, time zone and currency",
    description:
      'All three together. The locale is stored in its canonical form (`en-gb` becomes `en-GB`) and the time zone with the case of the IANA database. Send `If-Match: "0"` to set them for the first time only. Publishes `crm.tenant.settings_changed.v1` when something changed.',
    tags: ['Settings'],
    roles: http.ADMIN,
    request: { body: PutTenantSettingsBody, headers: http.IfMatchHeader },
    responses: {
      200: http.json('The settings as stored.', TenantSettings, versioned),
      ...http.guardedInput,
      412: http.stale,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
