import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { AppError } from '@crm/service-kit';

/** Phones are stored in E.164; a number that cannot be read is a 422 naming the field. */
export function normalisePhone(
  raw: string | null | undefined,
  region: string,
): string | null | undefined {
  if (raw === undefined || raw === null) return raw;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  const parsed = parsePhoneNumberFromString(trimmed, region as CountryCode);
  if (!parsed?.isValid()) {
    throw new AppError('validation_failed', 'The phone number is not valid', [
      { field: 'phone', code: 'invalid_phone', message: `Not a valid phone number: ${trimmed}` },
    ]);
  }
  return parsed.number;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
