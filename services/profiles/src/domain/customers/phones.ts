import {
  MAX_PHONES,
  type CustomerPhone,
  type CustomerPhoneInput,
  type FieldError,
  type PHONE_TYPES,
} from '@crm/contracts';
import { AppError } from '@crm/service-kit';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
// Only the full metadata knows number types; validity stays with the default metadata.
import { parsePhoneNumberFromString as parseWithTypes } from 'libphonenumber-js/max';

export type PhoneType = (typeof PHONE_TYPES)[number];

/**
 * Mobile when the numbering plan says so; a fixed line cannot tell home from work, and
 * many plans (e.g. +1) do not tell fixed from mobile, so everything else is `other`.
 */
export function detectType(e164: string): PhoneType {
  return parseWithTypes(e164)?.getType() === 'MOBILE' ? 'mobile' : 'other';
}

function parse(raw: string, region: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), region as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** The primary first, the others in the order given. */
function ordered(list: CustomerPhone[]): CustomerPhone[] {
  return [...list.filter((p) => p.primary), ...list.filter((p) => !p.primary)];
}

/**
 * A written list checked as a whole: every number readable, none twice, at most one
 * primary (the first number is when none is marked). Every problem is named at once.
 */
export function checkPhones(input: CustomerPhoneInput[], region: string): CustomerPhone[] {
  // The contract already refused more than MAX_PHONES numbers.
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  let primaries = 0;
  const list: CustomerPhone[] = [];
  input.forEach((p, i) => {
    const number = parse(p.number, region);
    if (!number) {
      errors.push({
        field: `phones[${i}].number`,
        code: 'invalid_phone',
        message: `Not a valid phone number: ${p.number.trim()}`,
      });
    } else if (seen.has(number)) {
      errors.push({
        field: `phones[${i}].number`,
        code: 'duplicate_phone',
        message: `${number} is already in the list`,
      });
    }
    if (p.primary) {
      primaries += 1;
      if (primaries > 1) {
        errors.push({
          field: `phones[${i}].primary`,
          code: 'multiple_primary',
          message: 'Only one number can be primary',
        });
      }
    }
    if (!number) return;
    seen.add(number);
    list.push({ number, type: p.type ?? detectType(number), primary: p.primary === true });
  });
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'The phone numbers are not valid', errors);
  }
  const [first] = list;
  if (first && primaries === 0) first.primary = true;
  return ordered(list);
}

/**
 * The list after `phone` was written: the number replaces the primary (keeping its type
 * when it was already listed); null removes the primary and the next number takes its place.
 */
export function withPrimary(list: CustomerPhone[], phone: string | null): CustomerPhone[] {
  const current = list.find((p) => p.primary);
  if (current?.number === phone) return list;
  const listed = list.find((p) => p.number === phone);
  const rest = list.filter((p) => !p.primary && p.number !== phone);
  if (phone === null) {
    const [next, ...others] = rest;
    return next ? [{ ...next, primary: true }, ...others] : [];
  }
  return [{ number: phone, type: listed?.type ?? detectType(phone), primary: true }, ...rest];
}

/**
 * Adds numbers not yet listed, as secondary ones (the first becomes primary on an empty
 * list); numbers beyond MAX_PHONES are not added.
 */
export function withNumbers(list: CustomerPhone[], added: CustomerPhone[]): CustomerPhone[] {
  const result = [...list];
  for (const p of added) {
    if (result.length >= MAX_PHONES || result.some((q) => q.number === p.number)) continue;
    result.push({ ...p, primary: result.length === 0 });
  }
  return result;
}

/**
 * The union of the numbers of merged customers: the survivor's first, then the others';
 * `primary` (the number chosen for `phone`) is primary when given, else the survivor's stays
 * (or, when it had none, the first other's).
 */
export function unitedPhones(
  survivor: CustomerPhone[],
  others: CustomerPhone[][],
  primary: string | null,
): CustomerPhone[] {
  const all: CustomerPhone[] = [...survivor];
  for (const list of others) {
    for (const p of list) {
      if (!all.some((q) => q.number === p.number)) all.push({ ...p, primary: false });
    }
  }
  if (all.length > MAX_PHONES) {
    throw new AppError('validation_failed', 'The merged customer would have too many numbers', [
      {
        field: 'merge_ids',
        code: 'too_many_phones',
        message: `Together the customers have ${all.length} numbers, more than ${MAX_PHONES}; remove some first`,
      },
    ]);
  }
  if (!primary || !all.some((p) => p.number === primary)) return withNumbers([], all);
  return ordered(all.map((p) => ({ ...p, primary: p.number === primary })));
}

export function primaryOf(list: CustomerPhone[]): string | null {
  return list.find((p) => p.primary)?.number ?? null;
}

export function samePhones(a: CustomerPhone[], b: CustomerPhone[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
