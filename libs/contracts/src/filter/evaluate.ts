import type { BehaviourLeaf, FieldLeaf, FilterNode, FilterScalar } from './ast.js';
import { fieldOf, type FieldType, type FilterCatalog, type FilterField } from './catalog.js';
import { anniversaryKeys, dateStart, nextDate, utcDate, windowStart } from './time.js';

/** A value as a record holds it: dates as YYYY-MM-DD, date-times as Date or RFC 3339. */
export type FilterValue = string | number | boolean | Date | string[] | null | undefined;
export type FilterRecord = Readonly<Record<string, FilterValue>>;

export interface EvaluateContext {
  now: Date;
  catalog: FilterCatalog;
  /** Related facts by fact key, for behavioural leaves. */
  facts?: Readonly<Record<string, readonly FilterRecord[]>>;
  /** The record before the change, for `changed_from` / `changed_to`. */
  previous?: FilterRecord;
}

type Present = string | number | boolean | string[];

/**
 * A value reduced to what the language compares: null when missing, '' and [] count as
 * missing, date-times as epoch milliseconds.
 */
function present(type: FieldType, raw: FilterValue): Present | null {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'string':
      return typeof raw === 'string' && raw !== '' ? raw : null;
    case 'string_list':
      return Array.isArray(raw) && raw.length > 0 ? raw : null;
    case 'datetime': {
      const ms = raw instanceof Date ? raw.getTime() : Date.parse(String(raw));
      return Number.isNaN(ms) ? null : ms;
    }
    case 'date':
      return typeof raw === 'string' ? raw : raw instanceof Date ? utcDate(raw) : null;
    case 'number':
      return typeof raw === 'number' ? raw : null;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : null;
  }
}

function fold(v: FilterScalar): string {
  return String(v).toLowerCase();
}

/** The scalar of a leaf in the form `present` gives record values. */
function operand(type: FieldType, v: FilterScalar): string | number | boolean {
  if (type === 'datetime') return Date.parse(String(v));
  if (type === 'string') return fold(v);
  return v;
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function positive(leaf: FieldLeaf, spec: FilterField, value: Present, now: Date): boolean {
  const type = spec.type;
  if (type === 'string_list') {
    const items = (value as string[]).map((s) => s.toLowerCase());
    switch (leaf.op) {
      case 'contains':
      case 'not_contains':
        return items.includes(fold(leaf.value));
      case 'in':
      case 'not_in':
        return leaf.value.some((v) => items.includes(fold(v)));
      default:
        return false;
    }
  }
  const own = type === 'string' ? fold(value as string) : (value as string | number | boolean);
  switch (leaf.op) {
    case 'eq':
    case 'neq':
      return compare(own, operand(type, leaf.value)) === 0;
    case 'lt':
      return compare(own, operand(type, leaf.value)) < 0;
    case 'lte':
      return compare(own, operand(type, leaf.value)) <= 0;
    case 'gt':
      return compare(own, operand(type, leaf.value)) > 0;
    case 'gte':
      return compare(own, operand(type, leaf.value)) >= 0;
    case 'between':
      return (
        compare(own, operand(type, leaf.value[0])) >= 0 &&
        compare(own, operand(type, leaf.value[1])) <= 0
      );
    case 'in':
    case 'not_in':
      return leaf.value.some((v) => compare(own, operand(type, v)) === 0);
    case 'contains':
    case 'not_contains':
      return String(own).includes(fold(leaf.value));
    case 'starts_with':
      return String(own).startsWith(fold(leaf.value));
    case 'within_last': {
      const from = windowStart(now, leaf.value);
      if (type === 'date') return own >= utcDate(from) && own <= utcDate(now);
      return (own as number) >= from.getTime() && (own as number) <= now.getTime();
    }
    case 'before_date':
      return type === 'date' ? own < leaf.value : (own as number) < dateStart(leaf.value).getTime();
    case 'after_date':
      return type === 'date'
        ? own > leaf.value
        : (own as number) >= dateStart(nextDate(leaf.value)).getTime();
    case 'anniversary_in': {
      const day = type === 'date' ? (own as string) : utcDate(new Date(own as number));
      return anniversaryKeys(now, leaf.value.days).includes(day.slice(5));
    }
    default:
      return false;
  }
}

const NEGATIVE = new Set(['neq', 'not_in', 'not_contains']);

function same(type: FieldType, a: Present | null, b: FilterScalar | null): boolean {
  if (a === null || b === null) return a === null && b === null;
  if (Array.isArray(a)) return a.some((x) => x.toLowerCase() === fold(b));
  const own = type === 'string' ? fold(a) : a;
  return compare(own, operand(type, b)) === 0;
}

function leafMatches(
  leaf: FieldLeaf,
  record: FilterRecord,
  ctx: EvaluateContext,
  catalog: FilterCatalog,
): boolean {
  const spec = fieldOf(catalog, leaf.field);
  if (!spec) throw new Error(`unknown filter field ${leaf.field}`);
  const value = present(spec.type, record[leaf.field]);
  switch (leaf.op) {
    case 'is_set':
      return value !== null;
    case 'is_not_set':
      return value === null;
    case 'changed_from':
    case 'changed_to': {
      if (!ctx.previous) return false;
      const before = present(spec.type, ctx.previous[leaf.field]);
      const [then, now] = leaf.op === 'changed_from' ? [before, value] : [value, before];
      return same(spec.type, then, leaf.value) && !same(spec.type, now, leaf.value);
    }
    default: {
      const hit = value !== null && positive(leaf, spec, value, ctx.now);
      return NEGATIVE.has(leaf.op) ? !hit : hit;
    }
  }
}

function countMatches(leaf: BehaviourLeaf, ctx: EvaluateContext): boolean {
  const fact = ctx.catalog.facts?.[leaf.fact];
  if (!fact) throw new Error(`unknown filter fact ${leaf.fact}`);
  const timeSpec = fieldOf(fact, fact.time);
  const from = leaf.within_last ? windowStart(ctx.now, leaf.within_last).getTime() : null;
  const rows = ctx.facts?.[leaf.fact] ?? [];
  let n = 0;
  for (const row of rows) {
    if (from !== null) {
      const at = timeSpec ? present(timeSpec.type, row[fact.time]) : null;
      if (typeof at !== 'number' || at < from || at > ctx.now.getTime()) continue;
    }
    if (leaf.where && !matches(leaf.where, row, ctx, { fields: fact.fields })) continue;
    n += 1;
  }
  const threshold = leaf.count ?? { op: 'gte', value: 1 };
  switch (threshold.op) {
    case 'eq':
      return n === threshold.value;
    case 'gt':
      return n > threshold.value;
    case 'gte':
      return n >= threshold.value;
    case 'lt':
      return n < threshold.value;
    case 'lte':
      return n <= threshold.value;
  }
}

function matches(
  node: FilterNode,
  record: FilterRecord,
  ctx: EvaluateContext,
  catalog: FilterCatalog,
): boolean {
  if ('and' in node) return node.and.every((c) => matches(c, record, ctx, catalog));
  if ('or' in node) return node.or.some((c) => matches(c, record, ctx, catalog));
  if ('not' in node) return !matches(node.not, record, ctx, catalog);
  if ('fact' in node) return countMatches(node, ctx);
  return leafMatches(node, record, ctx, catalog);
}

/**
 * The in-memory back-end: whether `record` (values keyed by catalog field) matches.
 * Expects a filter `validateFilter` accepted for the same catalog.
 */
export function evaluateFilter(
  filter: FilterNode,
  record: FilterRecord,
  ctx: EvaluateContext,
): boolean {
  return matches(filter, record, ctx, ctx.catalog);
}
