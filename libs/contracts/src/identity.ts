import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * How a customer's email and phone are normalised wherever a profile is written or matched:
 * by profiles, and by tools that load profiles the way profiles would have.
 */
export function normaliseEmail(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined || raw === null) return raw;
  return raw.trim().toLowerCase();
}

/** Phones from BookingX are not ours to refuse: keep what parses (as E.164), drop what does not. */
export function lenientPhone(raw: string | undefined, region: string): string | null {
  if (!raw) return null;
  const parsed = parsePhoneNumberFromString(raw.trim(), region as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}
