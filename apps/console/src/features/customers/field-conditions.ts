import type { CustomFieldDefinition, CustomFieldType } from '../../api/types';
import { minorUnitsOf, type Formatters } from '../../ui/format';
import type { ConditionOp, FieldCondition } from './list-query';

/** How a custom field's values are asked about; several field types ask alike. */
export type FieldKind =
  'text' | 'choice' | 'choices' | 'number' | 'money' | 'date' | 'datetime' | 'boolean';

/** Every custom field type the API names: a new type fails to compile until it is placed here. */
export const KIND_OF: Record<CustomFieldType, FieldKind> = {
  text: 'text',
  textarea: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  select: 'choice',
  multiselect: 'choices',
  number: 'number',
  decimal: 'number',
  currency: 'money',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
};

const PRESENCE: { op: ConditionOp; label: string }[] = [
  { op: 'is_set', label: 'has a value' },
  { op: 'is_not_set', label: 'is empty' },
];
const AMOUNTS: { op: ConditionOp; label: string }[] = [
  { op: 'eq', label: 'is' },
  { op: 'gte', label: 'is at least' },
  { op: 'lte', label: 'is at most' },
  { op: 'gt', label: 'is more than' },
  { op: 'lt', label: 'is less than' },
  ...PRESENCE,
];

/**
 * What the builder offers per kind, a subset of what the filter language allows on the
 * field's type (docs/filter-language.md), worded for people.
 */
export const OPS_OF: Record<FieldKind, { op: ConditionOp; label: string }[]> = {
  text: [
    { op: 'eq', label: 'is' },
    { op: 'contains', label: 'contains' },
    { op: 'starts_with', label: 'starts with' },
    ...PRESENCE,
  ],
  choice: [{ op: 'eq', label: 'is' }, { op: 'neq', label: 'is not' }, ...PRESENCE],
  choices: [{ op: 'contains', label: 'includes' }, ...PRESENCE],
  number: AMOUNTS,
  money: AMOUNTS,
  date: [
    { op: 'eq', label: 'is on' },
    { op: 'before_date', label: 'is before' },
    { op: 'after_date', label: 'is after' },
    ...PRESENCE,
  ],
  datetime: [
    { op: 'within_last', label: 'is within the last' },
    { op: 'before_date', label: 'is before' },
    { op: 'after_date', label: 'is after' },
    ...PRESENCE,
  ],
  boolean: [
    { op: 'eq', label: 'is' },
    { op: 'is_not_set', label: 'is empty' },
  ],
};

/** The fields a list filter may name: active, and not sensitive (those are never filtered). */
export function filterableFields(definitions: CustomFieldDefinition[]): CustomFieldDefinition[] {
  return definitions.filter((d) => d.is_active && !d.is_sensitive);
}

export function kindOf(definition: CustomFieldDefinition): FieldKind {
  return KIND_OF[definition.field_type];
}

/** What the value input asks for with this operator: nothing, a day count, a date, a choice… */
export type ValueInput =
  'none' | 'text' | 'number' | 'money' | 'date' | 'days' | 'option' | 'yes_no';

export function valueInputOf(kind: FieldKind, op: ConditionOp): ValueInput {
  if (op === 'is_set' || op === 'is_not_set') return 'none';
  if (op === 'within_last') return 'days';
  if (op === 'before_date' || op === 'after_date') return 'date';
  switch (kind) {
    case 'text':
      return 'text';
    case 'choice':
    case 'choices':
      return 'option';
    case 'number':
      return 'number';
    case 'money':
      return 'money';
    case 'date':
    case 'datetime':
      return 'date';
    case 'boolean':
      return 'yes_no';
  }
}

/** The currency a currency field holds: its validation names the one accepted. */
export function currencyOf(definition: CustomFieldDefinition): string | null {
  return definition.validation.currency ?? null;
}

/**
 * The condition the builder's inputs describe, or what is wrong with the value in words.
 * A currency field compares its amount in minor units, so the amount typed is converted.
 */
export function buildCondition(
  definition: CustomFieldDefinition,
  op: ConditionOp,
  raw: string,
): { condition: FieldCondition } | { error: string } {
  const field = definition.field_name;
  const kind = kindOf(definition);
  const text = raw.trim();
  const input = valueInputOf(kind, op);
  if (op === 'is_set' || op === 'is_not_set') return { condition: { field, op } };
  if (text === '') return { error: 'Enter a value' };
  switch (input) {
    case 'days': {
      const amount = Number(text);
      if (!Number.isInteger(amount) || amount < 1 || amount > 100_000) {
        return { error: 'Enter a whole number of days, at least 1' };
      }
      return { condition: { field, op: 'within_last', value: { amount, unit: 'days' } } };
    }
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return { error: 'Enter a date' };
      if (op === 'before_date' || op === 'after_date')
        return { condition: { field, op, value: text } };
      return { condition: { field, op: 'eq', value: text } };
    }
    case 'number': {
      const value = Number(text);
      if (!Number.isFinite(value)) return { error: 'Enter a number' };
      return scalar(field, op, value);
    }
    case 'money': {
      const minor = minorUnitsOf(text, currencyOf(definition));
      if (minor === null) return { error: 'Enter an amount, e.g. 12.50' };
      return scalar(field, op, minor);
    }
    case 'yes_no':
      return scalar(field, op, text === 'true');
    case 'option':
    case 'text':
      if (op === 'contains' || op === 'starts_with')
        return { condition: { field, op, value: text } };
      return scalar(field, op, text);
    case 'none':
      return { condition: { field, op: 'is_set' } };
  }
}

function scalar(
  field: string,
  op: ConditionOp,
  value: string | number | boolean,
): { condition: FieldCondition } | { error: string } {
  if (op === 'eq' || op === 'neq' || op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') {
    return { condition: { field, op, value } };
  }
  if ((op === 'contains' || op === 'starts_with') && typeof value === 'string') {
    return { condition: { field, op, value } };
  }
  return { error: 'This field cannot be asked that way' };
}

/** A condition in words, e.g. "Shoe size is at least 38", for the chip that removes it. */
export function describeCondition(
  condition: FieldCondition,
  definitions: CustomFieldDefinition[],
  format: Formatters,
): string {
  const definition = definitions.find((d) => d.field_name === condition.field);
  const label = definition?.field_label ?? condition.field;
  const kind = definition ? kindOf(definition) : 'text';
  const opLabel =
    OPS_OF[kind].find((o) => o.op === condition.op)?.label ?? condition.op.replaceAll('_', ' ');
  if (!('value' in condition)) return `${label} ${opLabel}`;
  const { value } = condition;
  let shown: string;
  if (typeof value === 'object') {
    shown = `${format.number(value.amount)} ${value.amount === 1 ? 'day' : 'days'}`;
  } else if (typeof value === 'boolean') {
    shown = value ? 'yes' : 'no';
  } else if (kind === 'money' && typeof value === 'number' && definition) {
    const currency = currencyOf(definition);
    shown = currency ? format.money({ amount_minor: value, currency }) : format.number(value);
  } else if (typeof value === 'number') {
    shown = format.number(value);
  } else if ((kind === 'choice' || kind === 'choices') && definition) {
    shown = definition.field_options.find((o) => o.value === value)?.label ?? value;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    shown = format.date(value);
  } else {
    shown = `“${value}”`;
  }
  return `${label} ${opLabel} ${shown}`;
}
