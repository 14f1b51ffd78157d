import type { CustomFieldDefinition } from '../../api/types';
import type { Formatters } from '../../ui/format';
import { boundKindOf } from './field-types';

function range(min: string | null, max: string | null, unit: string): string | null {
  if (min !== null && max !== null) return `${min} to ${max}${unit}`;
  if (min !== null) return `at least ${min}${unit}`;
  if (max !== null) return `at most ${max}${unit}`;
  return null;
}

/** The rules of a definition in words, for the list of fields. */
export function describeRules(def: CustomFieldDefinition, format: Formatters): string[] {
  const { min, max, pattern, currency } = def.validation;
  const rules: string[] = [];
  const kind = boundKindOf(def.field_type);
  const show = (bound: number | string | undefined): string | null => {
    if (bound === undefined) return null;
    if (kind === 'money' && typeof bound === 'number') {
      const code = currency ?? format.conventions.currency ?? 'USD';
      return format.money({ amount_minor: bound, currency: code });
    }
    if (kind === 'date' && typeof bound === 'string') return format.date(bound);
    if (kind === 'datetime' && typeof bound === 'string') return format.dateTime(bound);
    return typeof bound === 'number' ? format.number(bound) : bound;
  };
  const unit = kind === 'length' ? ' characters' : kind === 'count' ? ' choices' : '';
  const bounds = range(show(min), show(max), unit);
  if (bounds !== null) rules.push(bounds);
  if (pattern !== undefined) rules.push(`matches ${pattern}`);
  if (currency !== undefined) rules.push(`${currency} only`);
  if (def.field_options.length > 0) {
    rules.push(`choices: ${def.field_options.map((o) => o.label).join(', ')}`);
  }
  return rules;
}
