import {
  anniversaryKeys,
  dateStart,
  fieldOf,
  isCompareLeaf,
  nextDate,
  utcDate,
  windowStart,
  type BehaviourLeaf,
  type FieldLeaf,
  type FieldType,
  type FilterCatalog,
  type FilterField,
  type FilterNode,
  type FilterScalar,
} from '@crm/contracts';
import { sql, type SQL } from 'drizzle-orm';

/** A related fact as SQL: its rows, how one belongs to the outer row, and its fields. */
export interface FactSqlMapping {
  /** The FROM item, e.g. `bookings AS b`. */
  from: SQL;
  /** The predicate tying a fact row to the outer row. */
  correlate: SQL;
  /** An expression per fact field key. */
  fields: Readonly<Record<string, SQL>>;
}

/**
 * Where each catalog field lives in SQL. An expression may be a column or a scalar
 * subquery; `string_list` fields are text arrays. The compiler casts each to its type.
 */
export interface FilterSqlMapping {
  fields: Readonly<Record<string, SQL>>;
  facts?: Readonly<Record<string, FactSqlMapping>>;
}

export interface CompileOptions {
  catalog: FilterCatalog;
  mapping: FilterSqlMapping;
  /** The instant `within_last` and `anniversary_in` count from; bound, never `now()`. */
  now: Date;
}

/** A filter the catalog did not admit reached the compiler: a programming error. */
export class FilterCompileError extends Error {
  override readonly name = 'FilterCompileError';
}

const COMPARE_SQL = { eq: '=', neq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
const COUNT_SQL = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** The field's value, cast to its type; '' counts as missing, as in the evaluator. */
function typed(type: FieldType, expr: SQL): SQL {
  switch (type) {
    case 'string':
      return sql`nullif((${expr})::text, '')`;
    case 'number':
      return sql`(${expr})::numeric`;
    case 'boolean':
      return sql`(${expr})::boolean`;
    case 'date':
      return sql`(${expr})::date`;
    case 'datetime':
      return sql`(${expr})::timestamptz`;
    case 'string_list':
      return sql`(${expr})::text[]`;
  }
}

/** A bound value cast to the field's type; strings are lower-cased in SQL, like the column. */
function param(type: FieldType, v: FilterScalar): SQL {
  switch (type) {
    case 'string':
    case 'string_list':
      return sql`lower(${String(v)}::text)`;
    case 'number':
      return sql`${v}::numeric`;
    case 'boolean':
      return sql`${v}::boolean`;
    case 'date':
      return sql`${String(v)}::date`;
    case 'datetime':
      return sql`${new Date(String(v)).toISOString()}::timestamptz`;
  }
}

function list(type: FieldType, values: FilterScalar[]): SQL {
  return sql.join(
    values.map((v) => param(type, v)),
    sql`, `,
  );
}

/** The leaf's condition on a present value; may be NULL where the value is missing. */
function positive(leaf: FieldLeaf, spec: FilterField, x: SQL, now: Date): SQL {
  const type = spec.type;
  if (type === 'string_list') {
    const element = (condition: SQL) =>
      sql`EXISTS (SELECT 1 FROM unnest(${x}) AS filter_element(v) WHERE ${condition})`;
    switch (leaf.op) {
      case 'contains':
      case 'not_contains':
        return element(sql`lower(filter_element.v) = ${param(type, leaf.value)}`);
      case 'in':
      case 'not_in':
        return element(sql`lower(filter_element.v) IN (${list(type, leaf.value)})`);
      default:
        throw new FilterCompileError(`${leaf.op} on a list field`);
    }
  }
  const own = type === 'string' ? sql`lower(${x})` : x;
  if (isCompareLeaf(leaf)) {
    return sql`${own} ${sql.raw(COMPARE_SQL[leaf.op])} ${param(type, leaf.value)}`;
  }
  switch (leaf.op) {
    case 'between':
      return sql`${own} BETWEEN ${param(type, leaf.value[0])} AND ${param(type, leaf.value[1])}`;
    case 'in':
    case 'not_in':
      return sql`${own} IN (${list(type, leaf.value)})`;
    case 'contains':
    case 'not_contains':
      // strpos, not LIKE: % and _ in the value are plain characters.
      return sql`strpos(${own}, ${param(type, leaf.value)}) > 0`;
    case 'starts_with':
      return sql`starts_with(${own}, ${param(type, leaf.value)})`;
    case 'within_last': {
      const from = windowStart(now, leaf.value);
      if (type === 'date') {
        return sql`${x} BETWEEN ${utcDate(from)}::date AND ${utcDate(now)}::date`;
      }
      return sql`${x} BETWEEN ${from.toISOString()}::timestamptz AND ${now.toISOString()}::timestamptz`;
    }
    case 'before_date':
      return type === 'date'
        ? sql`${x} < ${leaf.value}::date`
        : sql`${x} < ${dateStart(leaf.value).toISOString()}::timestamptz`;
    case 'after_date':
      return type === 'date'
        ? sql`${x} > ${leaf.value}::date`
        : sql`${x} >= ${dateStart(nextDate(leaf.value)).toISOString()}::timestamptz`;
    case 'anniversary_in': {
      const day = type === 'date' ? x : sql`(${x} AT TIME ZONE 'UTC')`;
      const keys = anniversaryKeys(now, leaf.value.days).join(',');
      return sql`to_char(${day}, 'MM-DD') = ANY(string_to_array(${keys}::text, ','))`;
    }
    default:
      throw new FilterCompileError(`${leaf.op} cannot be compiled to SQL`);
  }
}

function leafSql(
  leaf: FieldLeaf,
  catalog: Pick<FilterCatalog, 'fields'>,
  fields: Readonly<Record<string, SQL>>,
  now: Date,
): SQL {
  const spec = fieldOf(catalog, leaf.field);
  const expr = fields[leaf.field];
  if (!spec || !expr) throw new FilterCompileError(`no SQL for filter field ${leaf.field}`);
  const x = typed(spec.type, expr);
  switch (leaf.op) {
    case 'is_set':
    case 'is_not_set': {
      const set =
        spec.type === 'string_list'
          ? sql`coalesce(cardinality(${x}) > 0, false)`
          : sql`(${x} IS NOT NULL)`;
      return leaf.op === 'is_set' ? set : sql`NOT ${set}`;
    }
    case 'neq':
    case 'not_in':
    case 'not_contains':
      // Two-valued: a missing value is not equal to, not in and does not contain anything.
      return sql`NOT coalesce(${positive(leaf, spec, x, now)}, false)`;
    default:
      return sql`coalesce(${positive(leaf, spec, x, now)}, false)`;
  }
}

function behaviourSql(leaf: BehaviourLeaf, options: CompileOptions): SQL {
  const fact = options.catalog.facts?.[leaf.fact];
  const mapping = options.mapping.facts?.[leaf.fact];
  if (!fact || !mapping) throw new FilterCompileError(`no SQL for filter fact ${leaf.fact}`);
  const conditions: SQL[] = [mapping.correlate];
  if (leaf.within_last) {
    const time = mapping.fields[fact.time];
    if (!time) throw new FilterCompileError(`no SQL for the time of fact ${leaf.fact}`);
    const from = windowStart(options.now, leaf.within_last).toISOString();
    conditions.push(
      sql`(${time})::timestamptz BETWEEN ${from}::timestamptz AND ${options.now.toISOString()}::timestamptz`,
    );
  }
  if (leaf.where) {
    conditions.push(node(leaf.where, { fields: fact.fields }, mapping.fields, options));
  }
  const threshold = leaf.count ?? { op: 'gte', value: 1 };
  return sql`((SELECT count(*) FROM ${mapping.from} WHERE ${sql.join(conditions, sql` AND `)}) ${sql.raw(COUNT_SQL[threshold.op])} ${threshold.value}::bigint)`;
}

function node(
  filter: FilterNode,
  catalog: Pick<FilterCatalog, 'fields'>,
  fields: Readonly<Record<string, SQL>>,
  options: CompileOptions,
): SQL {
  if ('and' in filter) {
    return sql`(${sql.join(
      filter.and.map((c) => node(c, catalog, fields, options)),
      sql` AND `,
    )})`;
  }
  if ('or' in filter) {
    return sql`(${sql.join(
      filter.or.map((c) => node(c, catalog, fields, options)),
      sql` OR `,
    )})`;
  }
  if ('not' in filter) return sql`(NOT ${node(filter.not, catalog, fields, options)})`;
  if ('fact' in filter) return behaviourSql(filter, options);
  return leafSql(filter, catalog, fields, options.now);
}

/**
 * The SQL back-end of the filter language: a predicate with every value bound as a
 * parameter, never spliced into the text. Every leaf yields true or false, never NULL, so
 * `not` is the exact complement, as in `evaluateFilter`. Expects a filter `validateFilter`
 * accepted for the same catalog.
 */
export function compileFilter(filter: FilterNode, options: CompileOptions): SQL {
  return node(filter, options.catalog, options.mapping.fields, options);
}
