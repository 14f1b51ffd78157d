import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, unwrapWithEtag } from '../../api/client';
import { useSession } from '../../auth/session';
import { FormatProvider } from '../../ui/format';

export const tenantSettingsKey = ['tenant-settings'] as const;

/** The tenant's locale, time zone and currency, with the ETag to change them. */
export function useTenantSettings() {
  const { can } = useSession();
  return useQuery({
    queryKey: tenantSettingsKey,
    enabled: can('getTenantSettings'),
    staleTime: 5 * 60_000,
    queryFn: ({ signal }) => unwrapWithEtag(api.GET('/crm/settings/tenant', { signal })),
  });
}

/**
 * Dates, numbers and money in the tenant's conventions once they are read; the browser's
 * until then, and where they cannot be read.
 */
export function TenantFormatProvider({ children }: { children: ReactNode }) {
  const settings = useTenantSettings().data?.data;
  return (
    <FormatProvider
      conventions={
        settings
          ? { locale: settings.locale, timeZone: settings.timezone, currency: settings.currency }
          : {}
      }
    >
      {children}
    </FormatProvider>
  );
}
