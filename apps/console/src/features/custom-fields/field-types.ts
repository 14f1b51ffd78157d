import type { CustomFieldType } from '../../api/types';

export const FIELD_TYPES: readonly CustomFieldType[] = [
  'text',
  'textarea',
  'number',
  'decimal',
  'currency',
  'date',
  'datetime',
  'boolean',
  'select',
  'multiselect',
  'email',
  'phone',
  'url',
];

export const TYPE_LABELS: Record<CustomFieldType, string> = {
  text: 'Text',
  textarea: 'Long text',
  number: 'Whole number',
  decimal: 'Decimal number',
  currency: 'Money',
  date: 'Date',
  datetime: 'Date and time',
  boolean: 'Yes or no',
  select: 'One choice',
  multiselect: 'Several choices',
  email: 'Email address',
  phone: 'Phone number',
  url: 'Web address',
};

/** What the minimum and maximum of a type bound, as the API reads them; none for the others. */
export type BoundKind = 'length' | 'number' | 'money' | 'count' | 'date' | 'datetime' | null;

export function boundKindOf(type: CustomFieldType): BoundKind {
  switch (type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
      return 'length';
    case 'number':
    case 'decimal':
      return 'number';
    case 'currency':
      return 'money';
    case 'multiselect':
      return 'count';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'boolean':
    case 'select':
      return null;
  }
}

export function takesOptions(type: CustomFieldType): boolean {
  return type === 'select' || type === 'multiselect';
}

export function takesPattern(type: CustomFieldType): boolean {
  return boundKindOf(type) === 'length';
}

/** Decimal places of a currency's minor unit (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/**
 * A key for the API from words a person typed: lower case, digits and _, starting with a
 * letter, at most `max` long ("Loyalty tier" → loyalty_tier).
 */
export function keyFrom(text: string, max = 64): string {
  const key = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const lettered = /^[a-z]/.test(key) ? key : key === '' ? '' : `f_${key}`;
  return lettered.slice(0, max).replace(/_+$/, '');
}

/** The list with the item at `from` moved to `to`; the same list when either is outside it. */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) {
    return [...items];
  }
  const out = [...items];
  const [item] = out.splice(from, 1);
  if (item !== undefined) out.splice(to, 0, item);
  return out;
}
