import { z } from 'zod';

/** A structurally valid BCP 47 tag that the runtime can format dates and numbers in. */
export function isFormattableLocale(value: string): boolean {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return (
      canonical !== undefined && Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0
    );
  } catch {
    return false;
  }
}

// A zone name such as Europe/Berlin or UTC; offsets such as +01:00 are not IANA zones.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** A time zone of the IANA database, by its name or one of its links. */
export function isIanaTimeZone(value: string): boolean {
  if (!ZONE_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An active ISO 4217 currency code, as the runtime's Intl knows them. */
export function isIsoCurrency(value: string): boolean {
  return /^[A-Z]{3}$/.test(value) && Intl.supportedValuesOf('currency').includes(value);
}

export const TenantLocale = z
  .string()
  .min(2)
  .max(35)
  .refine(isFormattableLocale, 'Expected a BCP 47 language tag such as en-GB or de-DE')
  .describe('BCP 47 language tag dates, numbers and money are written in, e.g. `de-DE`');

export const TenantTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimeZone, 'Expected an IANA time zone such as Europe/Berlin or UTC')
  .describe('IANA time zone dates and times are shown in, e.g. `Europe/Berlin`');

export const TenantCurrency = z
  .string()
  .length(3)
  .refine(isIsoCurrency, 'Expected an ISO 4217 currency code such as EUR or USD')
  .describe('ISO 4217 currency of the business, e.g. `EUR`');

export const TenantSettings = z
  .object({
    locale: z.string().describe('BCP 47 language tag, canonical form (e.g. `en-GB`)'),
    timezone: z.string().describe('IANA time zone'),
    currency: z.string().describe('ISO 4217 currency code'),
    version: z
      .number()
      .int()
      .min(0)
      .describe('0 while the tenant has never set its own: the installation defaults apply'),
    updated_at: z.iso.datetime().nullable().describe('null while the defaults apply'),
  })
  .meta({ id: 'TenantSettings' });
export type TenantSettings = z.infer<typeof TenantSettings>;

export const PutTenantSettingsBody = z
  .object({ locale: TenantLocale, timezone: TenantTimeZone, currency: TenantCurrency })
  .strict()
  .meta({ id: 'PutTenantSettings' });
export type PutTenantSettingsBody = z.infer<typeof PutTenantSettingsBody>;
