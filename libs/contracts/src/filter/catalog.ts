import { z } from 'zod';
import {
  CHANGE_OPS,
  COMPARE_OPS,
  DATE_OPS,
  FILTER_OPS,
  LIST_OPS,
  PRESENCE_OPS,
  TEXT_OPS,
  isCompareLeaf,
  type BehaviourLeaf,
  type FieldLeaf,
  type FilterIssue,
  type FilterNode,
  type FilterOp,
  type FilterScalar,
} from './ast.js';

export const FIELD_TYPES = [
  'string',
  'number',
  'boolean',
  'date',
  'datetime',
  'string_list',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** What each type of field can be asked; a catalog entry may narrow it further. */
export const OPS_BY_TYPE: Record<FieldType, readonly FilterOp[]> = {
  string: ['eq', 'neq', ...LIST_OPS, ...TEXT_OPS, ...PRESENCE_OPS, ...CHANGE_OPS],
  number: [...COMPARE_OPS, 'between', ...LIST_OPS, ...PRESENCE_OPS, ...CHANGE_OPS],
  boolean: ['eq', 'neq', ...PRESENCE_OPS, ...CHANGE_OPS],
  date: [
    ...COMPARE_OPS,
    'between',
    ...LIST_OPS,
    ...PRESENCE_OPS,
    'within_last',
    ...DATE_OPS,
    'anniversary_in',
    ...CHANGE_OPS,
  ],
  datetime: [
    ...COMPARE_OPS,
    'between',
    ...PRESENCE_OPS,
    'within_last',
    ...DATE_OPS,
    'anniversary_in',
    ...CHANGE_OPS,
  ],
  string_list: ['contains', 'not_contains', ...LIST_OPS, ...PRESENCE_OPS, ...CHANGE_OPS],
};

export const FilterField = z
  .object({
    key: z.string(),
    type: z.enum(FIELD_TYPES),
    label: z.string().optional(),
    ops: z.array(z.enum(FILTER_OPS)).describe('Operators this field answers'),
    options: z.array(z.string()).optional().describe('The values it can take, where closed'),
  })
  .meta({ id: 'FilterField' });
export interface FilterField {
  key: string;
  type: FieldType;
  label?: string | undefined;
  ops: readonly FilterOp[];
  options?: string[] | undefined;
}

export interface FilterFact {
  /** Key of the fact's datetime field that `within_last` counts from. */
  time: string;
  fields: FilterField[];
}

export interface FilterCatalog {
  fields: FilterField[];
  /** Related facts behavioural leaves may count; absent where none are answerable. */
  facts?: Record<string, FilterFact>;
  /** Whether `changed_from` / `changed_to` can be answered (workflow triggers only). */
  changes?: boolean;
}

export function fieldOf(
  catalog: Pick<FilterCatalog, 'fields'>,
  key: string,
): FilterField | undefined {
  return catalog.fields.find((f) => f.key === key);
}

/** A field of `type` with every operator its type allows. */
export function field(
  key: string,
  type: FieldType,
  extra: { label?: string; options?: string[] } = {},
): FilterField {
  return { key, type, ops: OPS_BY_TYPE[type], ...extra };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The span PostgreSQL and the evaluator both read: years 1 to 9999, UTC. */
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
const isDate = (v: unknown): boolean =>
  typeof v === 'string' &&
  DATE.test(v) &&
  !v.startsWith('0000') &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const isDatetime = (v: unknown): boolean => {
  if (typeof v !== 'string' || !z.iso.datetime({ offset: true }).safeParse(v).success) {
    return false;
  }
  const at = Date.parse(v);
  return at >= FIRST_INSTANT && at <= LAST_INSTANT;
};

/** Whether a scalar fits a field of `type`, and what it should have been if not. */
function scalarProblem(type: FieldType, v: FilterScalar | null): string | null {
  switch (type) {
    case 'string':
    case 'string_list':
      return typeof v === 'string' ? null : 'a string';
    case 'number':
      return typeof v === 'number' ? null : 'a number';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'true or false';
    case 'date':
      return isDate(v) ? null : 'a date (YYYY-MM-DD)';
    case 'datetime':
      return isDatetime(v) ? null : 'an RFC 3339 date-time with offset';
  }
}

/** Orders two values of one field type; date-times by instant. */
export function compareScalars(type: FieldType, a: FilterScalar, b: FilterScalar): number {
  if (type === 'datetime') return Date.parse(String(a)) - Date.parse(String(b));
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface ValidateOptions {
  /** A path prefix for issues, e.g. `['where']` inside a behavioural leaf. */
  path?: (string | number)[];
}

function leafIssues(leaf: FieldLeaf, catalog: FilterCatalog, path: (string | number)[]) {
  const issues: FilterIssue[] = [];
  const spec = fieldOf(catalog, leaf.field);
  if (!spec) {
    issues.push({
      path: [...path, 'field'],
      code: 'unknown_field',
      message: `No field "${leaf.field}" can be filtered on here`,
    });
    return issues;
  }
  if (!spec.ops.includes(leaf.op)) {
    issues.push({
      path: [...path, 'op'],
      code: 'op_not_allowed',
      message: `"${leaf.op}" does not apply to ${spec.type} field "${spec.key}"; use one of ${spec.ops.join(', ')}`,
    });
    return issues;
  }
  if ((leaf.op === 'changed_from' || leaf.op === 'changed_to') && !catalog.changes) {
    issues.push({
      path: [...path, 'op'],
      code: 'unsupported',
      message: `"${leaf.op}" is answered by workflow triggers only, not here`,
    });
    return issues;
  }
  const refuse = (at: (string | number)[], message: string) => {
    issues.push({ path: at, code: 'invalid_value', message });
  };
  const check = (value: FilterScalar | null, at: (string | number)[]) => {
    if (value === null) return;
    const expected = scalarProblem(spec.type, value);
    if (expected)
      refuse(at, `"${spec.key}" is a ${spec.type} field: the value must be ${expected}`);
  };
  if (isCompareLeaf(leaf)) {
    check(leaf.value, [...path, 'value']);
    return issues;
  }
  switch (leaf.op) {
    case 'changed_from':
    case 'changed_to':
    case 'contains':
    case 'not_contains':
    case 'starts_with':
      check(leaf.value, [...path, 'value']);
      break;
    case 'in':
    case 'not_in':
      leaf.value.forEach((v, i) => {
        check(v, [...path, 'value', i]);
      });
      break;
    case 'between': {
      const [low, high] = leaf.value;
      const before = issues.length;
      check(low, [...path, 'value', 0]);
      check(high, [...path, 'value', 1]);
      if (issues.length === before && compareScalars(spec.type, low, high) > 0) {
        refuse([...path, 'value'], 'between takes [low, high] with low ≤ high');
      }
      break;
    }
    case 'before_date':
    case 'after_date':
      if (!isDate(leaf.value) || leaf.value === '9999-12-31') {
        refuse([...path, 'value'], 'A date from 0001-01-01 to 9999-12-30');
      }
      break;
    case 'is_set':
    case 'is_not_set':
    case 'within_last':
    case 'anniversary_in':
      break;
  }
  return issues;
}

function isLeaf(node: FilterNode): node is FieldLeaf {
  return 'op' in node;
}
function isBehaviour(node: FilterNode): node is BehaviourLeaf {
  return 'fact' in node;
}

/**
 * Checks a parsed filter against a catalog: unknown fields, operators a field's type does
 * not answer, values of the wrong type, behavioural and change leaves where they cannot be
 * answered. Each issue names the JSON path of the leaf, so an API can answer 422 with it.
 */
export function validateFilter(
  filter: FilterNode,
  catalog: FilterCatalog,
  options: ValidateOptions = {},
): FilterIssue[] {
  const issues: FilterIssue[] = [];
  const visit = (
    node: FilterNode,
    path: (string | number)[],
    scope: FilterCatalog,
    inFact: boolean,
  ) => {
    if ('and' in node) {
      node.and.forEach((c, i) => {
        visit(c, [...path, 'and', i], scope, inFact);
      });
    } else if ('or' in node) {
      node.or.forEach((c, i) => {
        visit(c, [...path, 'or', i], scope, inFact);
      });
    } else if ('not' in node) {
      visit(node.not, [...path, 'not'], scope, inFact);
    } else if (isBehaviour(node)) {
      const fact = inFact ? undefined : scope.facts?.[node.fact];
      if (!fact) {
        issues.push({
          path: [...path, 'fact'],
          code: inFact || !scope.facts ? 'unsupported' : 'unknown_fact',
          message: inFact
            ? 'Behavioural leaves do not nest'
            : scope.facts
              ? `No related fact "${node.fact}"; one of ${Object.keys(scope.facts).join(', ')}`
              : 'Behavioural leaves (counts of related facts) cannot be answered here',
        });
        return;
      }
      if (node.where) visit(node.where, [...path, 'where'], { fields: fact.fields }, true);
    } else if (isLeaf(node)) {
      issues.push(...leafIssues(node, scope, path));
    }
  };
  visit(filter, options.path ?? [], catalog, false);
  return issues;
}
