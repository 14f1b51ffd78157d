import type { CreateCustomField, CustomFieldType, CustomFieldValidation } from '../../api/types';
import { fromZonedInput } from '../../ui/zoned-time';
import { boundKindOf, keyFrom, minorDigits, takesOptions, takesPattern } from './field-types';

/** The add-field form as its inputs hold it. */
export interface FieldDraft {
  field_label: string;
  field_name: string;
  /** Once the person typed a name, the label no longer suggests one. */
  nameTouched: boolean;
  field_type: CustomFieldType;
  /** Labels of the choices; each is stored under a key made from it. */
  options: string[];
  is_required: boolean;
  is_sensitive: boolean;
  min: string;
  max: string;
  pattern: string;
  /** For money: the one currency accepted. */
  currency: string;
}

export function emptyDraft(currency: string): FieldDraft {
  return {
    field_label: '',
    field_name: '',
    nameTouched: false,
    field_type: 'text',
    options: ['', ''],
    is_required: false,
    is_sensitive: false,
    min: '',
    max: '',
    pattern: '',
    currency,
  };
}

/** The label changed: the name follows it until the person edits the name. */
export function withLabel(draft: FieldDraft, label: string): FieldDraft {
  return draft.nameTouched
    ? { ...draft, field_label: label }
    : { ...draft, field_label: label, field_name: keyFrom(label) };
}

/** The stored value of a choice: a key made from its label, numbered when it makes none. */
export function optionValue(label: string, index: number): string {
  return keyFrom(label, 100) || `option_${index + 1}`;
}

/**
 * A bound as the API takes it: amounts in minor units, times in RFC 3339 from the tenant's
 * wall clock. What cannot be read is sent as typed, so the API names the field that is wrong.
 */
function boundOf(
  text: string,
  type: CustomFieldType,
  ctx: { currency: string; timeZone: string | undefined },
): number | string | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const kind = boundKindOf(type);
  const n = Number(value);
  switch (kind) {
    case 'length':
    case 'count':
    case 'number':
      return Number.isFinite(n) ? n : value;
    case 'money':
      return Number.isFinite(n) ? Math.round(n * 10 ** minorDigits(ctx.currency)) : value;
    case 'date':
      return value;
    case 'datetime':
      return fromZonedInput(value, ctx.timeZone) ?? value;
    case null:
      return undefined;
  }
}

export function bodyOf(draft: FieldDraft, timeZone: string | undefined): CreateCustomField {
  const type = draft.field_type;
  const validation: CustomFieldValidation = {};
  const ctx = { currency: draft.currency, timeZone };
  const min = boundOf(draft.min, type, ctx);
  const max = boundOf(draft.max, type, ctx);
  if (min !== undefined) validation.min = min;
  if (max !== undefined) validation.max = max;
  if (takesPattern(type) && draft.pattern.trim() !== '') validation.pattern = draft.pattern.trim();
  if (type === 'currency') validation.currency = draft.currency;
  const labels = draft.options.map((o) => o.trim()).filter((o) => o !== '');
  return {
    field_label: draft.field_label.trim(),
    field_name: draft.field_name.trim(),
    field_type: type,
    field_options: takesOptions(type)
      ? labels.map((label, i) => ({ value: optionValue(label, i), label }))
      : [],
    is_required: draft.is_required,
    is_sensitive: draft.is_sensitive,
    is_active: true,
    validation,
  };
}
