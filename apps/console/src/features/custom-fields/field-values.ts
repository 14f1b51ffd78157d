import type { CustomFieldDefinition, CustomFieldValue, Money } from '../../api/types';
import type { Formatters } from '../../ui/format';
import { fromZonedInput, toZonedInput } from '../../ui/zoned-time';
import { minorDigits } from './field-types';

/** A value as its input holds it: text for one input, the chosen option values for several. */
export type ValueDraft = string | string[];

interface Context {
  timeZone: string | undefined;
  /** The tenant's currency: what a money field without its own is entered in. */
  currency: string | undefined;
}

function isMoney(value: CustomFieldValue | undefined): value is Money {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The currency a money field's amount is entered in. */
export function currencyOf(
  def: CustomFieldDefinition,
  stored: CustomFieldValue | undefined,
  ctx: Context,
): string {
  return def.validation.currency ?? (isMoney(stored) ? stored.currency : ctx.currency) ?? 'USD';
}

export function draftOf(
  def: CustomFieldDefinition,
  value: CustomFieldValue | undefined,
  ctx: Context,
): ValueDraft {
  if (def.field_type === 'multiselect') {
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  }
  if (value === null || value === undefined) return '';
  switch (def.field_type) {
    case 'currency': {
      if (!isMoney(value)) return '';
      const digits = minorDigits(value.currency);
      return (value.amount_minor / 10 ** digits).toFixed(digits);
    }
    case 'datetime':
      return typeof value === 'string' ? toZonedInput(value, ctx.timeZone) : '';
    case 'boolean':
      return value === true ? 'true' : value === false ? 'false' : '';
    default:
      return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }
}

/**
 * The value to send for a draft; empty clears (null). What cannot be read as the type is sent
 * as typed, so the API says what is wrong next to the field.
 */
export function valueOf(
  def: CustomFieldDefinition,
  draft: ValueDraft,
  stored: CustomFieldValue | undefined,
  ctx: Context,
): CustomFieldValue {
  if (Array.isArray(draft)) return draft;
  const text = def.field_type === 'textarea' ? draft : draft.trim();
  if (text.trim() === '') return null;
  switch (def.field_type) {
    case 'number':
    case 'decimal': {
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case 'currency': {
      const currency = currencyOf(def, stored, ctx);
      const n = Number(text);
      return Number.isFinite(n)
        ? { amount_minor: Math.round(n * 10 ** minorDigits(currency)), currency }
        : text;
    }
    case 'boolean':
      return text === 'true';
    case 'datetime':
      return fromZonedInput(text, ctx.timeZone) ?? text;
    default:
      return text;
  }
}

function sameDraft(a: ValueDraft, b: ValueDraft): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = Array.isArray(a) ? [...a].sort() : [a];
    const y = Array.isArray(b) ? [...b].sort() : [b];
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return a === b;
}

/** Only the fields whose input changed, so values someone else set meanwhile are kept. */
export function changedValues(
  definitions: CustomFieldDefinition[],
  stored: Record<string, CustomFieldValue> | undefined,
  drafts: Record<string, ValueDraft>,
  ctx: Context,
): Record<string, CustomFieldValue> {
  const patch: Record<string, CustomFieldValue> = {};
  for (const def of definitions) {
    const draft = drafts[def.field_name];
    if (draft === undefined) continue;
    const before = stored?.[def.field_name];
    if (sameDraft(draft, draftOf(def, before, ctx))) continue;
    patch[def.field_name] = valueOf(def, draft, before, ctx);
  }
  return patch;
}

/** A stored value in words, in the tenant's conventions. */
export function showValue(
  def: CustomFieldDefinition,
  value: CustomFieldValue | undefined,
  format: Formatters,
): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return value.map((v) => def.field_options.find((o) => o.value === v)?.label ?? v).join(', ');
  }
  if (isMoney(value)) return format.money(value);
  switch (def.field_type) {
    case 'boolean':
      return value === true ? 'Yes' : 'No';
    case 'date':
      return typeof value === 'string' ? format.date(value) : String(value);
    case 'datetime':
      return typeof value === 'string' ? format.dateTime(value) : String(value);
    case 'number':
    case 'decimal':
      return typeof value === 'number' ? format.number(value) : String(value);
    case 'select':
      return def.field_options.find((o) => o.value === value)?.label ?? String(value);
    default:
      return String(value);
  }
}
