import {
  TEXT_MAX,
  TEXTAREA_MAX,
  type CustomFieldOption,
  type CustomFieldType,
  type CustomFieldValidation,
  type CustomFieldValue,
  type FieldError,
} from '@crm/contracts';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

/** What a value is checked against: a definition, as the rules see it. */
export interface FieldRule {
  name: string;
  type: CustomFieldType;
  options: CustomFieldOption[];
  required: boolean;
  validation: CustomFieldValidation;
}

const LENGTH_CAP: Partial<Record<CustomFieldType, number>> = {
  text: TEXT_MAX,
  textarea: TEXTAREA_MAX,
  email: 254,
  phone: 32,
  url: 2000,
};
const NUMERIC = new Set<CustomFieldType>(['number', 'decimal', 'currency']);
const PATTERNED = new Set<CustomFieldType>(['text', 'textarea', 'email', 'phone', 'url']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const email = z.email();
const url = z.url({ protocol: /^https?$/ });
const datetime = z.iso.datetime({ offset: true });

function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return null;
  }
}

/** Problems with a definition itself: options, bounds and patterns that fit its type. */
export function definitionErrors(rule: FieldRule): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, code: string, message: string) =>
    errors.push({ field, code, message });
  const choice = rule.type === 'select' || rule.type === 'multiselect';
  if (choice && rule.options.length === 0) {
    err('field_options', 'options_required', `A ${rule.type} field needs at least one option`);
  }
  if (!choice && rule.options.length > 0) {
    err('field_options', 'options_not_allowed', `A ${rule.type} field has no options`);
  }
  const values = rule.options.map((o) => o.value);
  values.forEach((v, i) => {
    if (values.indexOf(v) !== i) {
      err(`field_options.${i}.value`, 'duplicate', `Option ${v} appears twice`);
    }
  });
  const { min, max, pattern, currency } = rule.validation;
  for (const [key, bound] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (bound === undefined) continue;
    const field = `validation.${key}`;
    if (rule.type === 'date') {
      if (typeof bound !== 'string' || !isDate(bound))
        err(field, 'invalid_bound', 'Use YYYY-MM-DD');
    } else if (rule.type === 'datetime') {
      if (typeof bound !== 'string' || !datetime.safeParse(bound).success) {
        err(field, 'invalid_bound', 'Use an RFC 3339 time');
      }
    } else if (rule.type === 'boolean' || rule.type === 'select') {
      err(field, 'bound_not_allowed', `A ${rule.type} field takes no ${key}`);
    } else if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      err(field, 'invalid_bound', `The ${key} of a ${rule.type} field is a number`);
    } else if (!NUMERIC.has(rule.type) && (!Number.isInteger(bound) || bound < 0)) {
      err(field, 'invalid_bound', 'A length or count is a whole number of at least 0');
    } else if ((LENGTH_CAP[rule.type] ?? Infinity) < bound) {
      err(
        field,
        'invalid_bound',
        `A ${rule.type} value is at most ${LENGTH_CAP[rule.type] ?? 0} long`,
      );
    }
  }
  if (min !== undefined && max !== undefined && errors.length === 0) {
    const lo = rule.type === 'datetime' ? Date.parse(String(min)) : min;
    const hi = rule.type === 'datetime' ? Date.parse(String(max)) : max;
    if (lo > hi) err('validation.min', 'min_above_max', 'min is greater than max');
  }
  if (pattern !== undefined) {
    if (!PATTERNED.has(rule.type)) {
      err('validation.pattern', 'pattern_not_allowed', `A ${rule.type} field takes no pattern`);
    } else if (!compilePattern(pattern)) {
      err('validation.pattern', 'invalid_pattern', 'Not a valid regular expression');
    }
  }
  if (currency !== undefined && rule.type !== 'currency') {
    err('validation.currency', 'currency_not_allowed', 'Only currency fields take a currency');
  }
  return errors;
}

export type Checked = { ok: true; value: CustomFieldValue } | { ok: false; error: FieldError };

/**
 * Checks one value against its field and returns it as stored (emails lower-cased, phones
 * in E.164, times in UTC). The error names the field and the rule it broke.
 */
export function checkValue(rule: FieldRule, raw: unknown, phoneRegion: string): Checked {
  const field = `custom_fields.${rule.name}`;
  const fail = (code: string, message: string): Checked => ({
    ok: false,
    error: { field, code, message },
  });
  if (raw === null) {
    return rule.required ? fail('required', `${rule.name} is required`) : { ok: true, value: null };
  }
  const { min, max, pattern } = rule.validation;
  const num = (b: number | string | undefined) => (typeof b === 'number' ? b : undefined);
  const bounds = (n: number, what: string): Checked | null => {
    const lo = num(min);
    const hi = num(max);
    if (lo !== undefined && n < lo) return fail('min', `${what} must be at least ${lo}`);
    if (hi !== undefined && n > hi) return fail('max', `${what} must be at most ${hi}`);
    return null;
  };
  const text = (value: string): Checked => {
    const cap = LENGTH_CAP[rule.type] ?? TEXT_MAX;
    if (value.length > cap) return fail('max', `At most ${cap} characters`);
    const out = bounds(value.length, 'The length');
    if (out) return out;
    if (pattern !== undefined && !compilePattern(pattern)?.test(value)) {
      return fail('pattern', `Does not match ${pattern}`);
    }
    return { ok: true, value };
  };
  switch (rule.type) {
    case 'text':
    case 'textarea':
      return typeof raw === 'string' ? text(raw) : fail('type', 'Expected a string');
    case 'email': {
      if (typeof raw !== 'string') return fail('type', 'Expected a string');
      const value = raw.trim().toLowerCase();
      return email.safeParse(value).success
        ? text(value)
        : fail('invalid_email', 'Not an email address');
    }
    case 'url': {
      if (typeof raw !== 'string') return fail('type', 'Expected a string');
      return url.safeParse(raw).success ? text(raw) : fail('invalid_url', 'Not an http(s) URL');
    }
    case 'phone': {
      if (typeof raw !== 'string') return fail('type', 'Expected a string');
      const parsed = parsePhoneNumberFromString(raw.trim(), phoneRegion as CountryCode);
      return parsed?.isValid()
        ? text(parsed.number)
        : fail('invalid_phone', 'Not a valid phone number');
    }
    case 'number':
    case 'decimal': {
      if (typeof raw !== 'number' || !Number.isFinite(raw))
        return fail('type', 'Expected a number');
      if (rule.type === 'number' && !Number.isInteger(raw)) {
        return fail('type', 'Expected a whole number');
      }
      return bounds(raw, 'The value') ?? { ok: true, value: raw };
    }
    case 'currency': {
      const money = z
        .object({ amount_minor: z.number().int(), currency: z.string().regex(/^[A-Z]{3}$/) })
        .strict()
        .safeParse(raw);
      if (!money.success) return fail('type', 'Expected {amount_minor, currency}');
      const wanted = rule.validation.currency;
      if (wanted !== undefined && money.data.currency !== wanted) {
        return fail('currency', `Only ${wanted} is accepted`);
      }
      return bounds(money.data.amount_minor, 'The amount') ?? { ok: true, value: money.data };
    }
    case 'boolean':
      return typeof raw === 'boolean'
        ? { ok: true, value: raw }
        : fail('type', 'Expected true or false');
    case 'date': {
      if (typeof raw !== 'string' || !isDate(raw)) return fail('invalid_date', 'Use YYYY-MM-DD');
      if (typeof min === 'string' && raw < min) return fail('min', `On or after ${min}`);
      if (typeof max === 'string' && raw > max) return fail('max', `On or before ${max}`);
      return { ok: true, value: raw };
    }
    case 'datetime': {
      if (typeof raw !== 'string' || !datetime.safeParse(raw).success) {
        return fail('invalid_datetime', 'Use an RFC 3339 time with offset');
      }
      const at = Date.parse(raw);
      if (typeof min === 'string' && at < Date.parse(min)) return fail('min', `At or after ${min}`);
      if (typeof max === 'string' && at > Date.parse(max))
        return fail('max', `At or before ${max}`);
      return { ok: true, value: new Date(at).toISOString() };
    }
    case 'select': {
      if (typeof raw !== 'string') return fail('type', 'Expected one option value');
      return rule.options.some((o) => o.value === raw)
        ? { ok: true, value: raw }
        : fail('option', `Not one of ${rule.options.map((o) => o.value).join(', ')}`);
    }
    case 'multiselect': {
      if (!Array.isArray(raw) || !raw.every((v): v is string => typeof v === 'string')) {
        return fail('type', 'Expected a list of option values');
      }
      const unknown = raw.find((v) => !rule.options.some((o) => o.value === v));
      if (unknown !== undefined) return fail('option', `${unknown} is not an option`);
      const unique = [...new Set(raw)];
      const out = bounds(unique.length, 'The number of choices');
      if (out) return out;
      if (rule.required && unique.length === 0) return fail('required', `${rule.name} is required`);
      return { ok: true, value: unique };
    }
  }
}
