import {
  compareScalars,
  evaluateFilter,
  field,
  isCompareOp,
  validateFilter,
  type FieldLeaf,
  type FieldType,
  type FilterCatalog,
  type FilterField,
  type FilterNode,
  type FilterRecord,
  type FilterScalar,
  type TimeWindow,
} from '@crm/contracts';
import { sql, type SQL } from 'drizzle-orm';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/db.js';
import { compileFilter, type FilterSqlMapping } from '../src/filter/compile.js';
import { adminClient, testEnv, uniqueName } from './support.js';

/**
 * The two back-ends of the filter language must agree: random catalogs over a table with
 * a column of every type, random rows inserted into real PostgreSQL, random filters; the
 * rows the SQL selects are exactly the rows the evaluator accepts.
 */

/** The records table's columns by filter type, with the PostgreSQL type that type is kept in. */
const TABLE: [type: FieldType, sqlType: string, columns: string[]][] = [
  ['string', 'text', ['s1', 's2']],
  ['number', 'numeric', ['n1', 'n2']],
  ['boolean', 'boolean', ['b1']],
  ['date', 'date', ['d1', 'd2']],
  ['datetime', 'timestamptz', ['t1', 't2']],
  ['string_list', 'text[]', ['l1']],
];
const COLUMNS = TABLE.flatMap(([type, , columns]) => columns.map((column) => ({ column, type })));

const NOWS = [
  '2024-02-28T10:00:00.000Z', // leap year, the day before February 29
  '2023-02-28T23:59:59.999Z', // no February 29 this year
  '2025-12-30T12:00:00.000Z', // windows wrap into the next year
  '2024-03-31T00:00:00.000Z', // a month back is a shorter month
  '2026-11-24T13:35:00.000Z',
].map((s) => new Date(s));

const DAY = 86_400_000;
const BASE = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

const letters = fc.constantFrom('a', 'A', 'b', 'é', 'É', '%', '_', ' ');
const str = fc.string({ unit: letters, maxLength: 3 });
const needle = fc.string({ unit: letters, minLength: 1, maxLength: 2 });
const num = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }),
);
/** Dates and instants around each `now`, so windows and anniversaries have edges to hit. */
const nearNowDates = NOWS.flatMap((n) =>
  [-1, 0, 1, 2, 30, 31, 60, 61].flatMap((d) =>
    [0, -1, -3].map((years) => {
      const at = new Date(n.getTime() + d * DAY);
      at.setUTCFullYear(at.getUTCFullYear() + years);
      return iso(at.getTime()).slice(0, 10);
    }),
  ),
);
const dateValue = fc.oneof(
  fc.integer({ min: -1200, max: 800 }).map((d) => iso(BASE + d * DAY).slice(0, 10)),
  fc.constantFrom('2020-02-29', '2024-02-29', '2023-03-01', '2024-12-31', '2025-01-01'),
  fc.constantFrom(...nearNowDates),
);
const instantPool = [
  ...NOWS.flatMap((n) =>
    [0, 1, 59_999, 60_000, 3_600_000, DAY, 7 * DAY, 30 * DAY, 31 * DAY, 365 * DAY, -DAY].map(
      (back) => n.getTime() - back,
    ),
  ),
  ...NOWS.map((n) => {
    const monthBack = new Date(n.getTime());
    monthBack.setUTCMonth(monthBack.getUTCMonth() - 1);
    return monthBack.getTime();
  }),
  Date.UTC(2024, 1, 29, 23, 30),
  Date.UTC(2024, 11, 31, 23, 59, 59, 999),
];
const datetimeValue = fc.oneof(
  fc.constantFrom(...instantPool).map(iso),
  fc.integer({ min: -1200 * DAY, max: 800 * DAY }).map((o) => iso(BASE + o)),
);
const listValue = fc.array(
  str.filter((s) => s !== ''),
  { maxLength: 3 },
);

function scalarOf(type: FieldType): fc.Arbitrary<FilterScalar> {
  switch (type) {
    case 'string':
      return str;
    case 'string_list':
      return needle;
    case 'number':
      return num;
    case 'boolean':
      return fc.boolean();
    case 'date':
      return dateValue;
    case 'datetime':
      return datetimeValue;
  }
}

function recordValue(type: FieldType): fc.Arbitrary<FilterRecord[string]> {
  const value: fc.Arbitrary<FilterRecord[string]> =
    type === 'string_list' ? listValue : scalarOf(type);
  return fc.option(value, { nil: null, freq: 4 });
}

const windowArb: fc.Arbitrary<TimeWindow> = fc.record({
  amount: fc.integer({ min: 1, max: 40 }),
  unit: fc.constantFrom('minutes', 'hours', 'days', 'weeks', 'months', 'years'),
});

function leafOf(spec: FilterField): fc.Arbitrary<FieldLeaf> {
  const ops = spec.ops.filter((op) => op !== 'changed_from' && op !== 'changed_to');
  const type = spec.type;
  const scalar = scalarOf(type);
  return fc.constantFrom(...ops).chain((op): fc.Arbitrary<FieldLeaf> => {
    const f = spec.key;
    if (isCompareOp(op)) return scalar.map((value) => ({ field: f, op, value }));
    switch (op) {
      case 'between':
        return fc.tuple(scalar, scalar).map(([a, b]) => ({
          field: f,
          op,
          value: compareScalars(type, a, b) <= 0 ? [a, b] : [b, a],
        }));
      case 'in':
      case 'not_in':
        return fc
          .array(scalar, { minLength: 1, maxLength: 3 })
          .map((value) => ({ field: f, op, value }));
      case 'contains':
      case 'not_contains':
      case 'starts_with':
        return needle.map((value) => ({ field: f, op, value }));
      case 'is_set':
      case 'is_not_set':
        return fc.constant({ field: f, op });
      case 'within_last':
        return windowArb.map((value) => ({ field: f, op, value }));
      case 'before_date':
      case 'after_date':
        return dateValue.map((value) => ({ field: f, op, value }));
      case 'anniversary_in':
        return fc
          .oneof(fc.integer({ min: 0, max: 60 }), fc.constantFrom(0, 1, 365))
          .map((days) => ({ field: f, op, value: { days } }));
      default:
        throw new Error(`no generator for ${String(op)}`);
    }
  });
}

const FACT_FIELDS = [field('kind', 'string'), field('amount', 'number'), field('at', 'datetime')];

function filterOf(catalog: FilterCatalog): fc.Arbitrary<FilterNode> {
  const leaves = fc.oneof(...catalog.fields.map(leafOf));
  const factWhere = fc.oneof(...FACT_FIELDS.map(leafOf));
  const behaviour: fc.Arbitrary<FilterNode> = fc.record(
    {
      fact: fc.constant('visits'),
      where: factWhere,
      within_last: windowArb,
      count: fc.record({
        op: fc.constantFrom('eq', 'gt', 'gte', 'lt', 'lte'),
        value: fc.integer({ min: 0, max: 3 }),
      }),
    },
    { requiredKeys: ['fact'] },
  );
  const { node } = fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaves,
      behaviour,
      fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
      fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
      tie('node').map((not) => ({ not })),
    ),
  }));
  return node;
}

interface Row {
  id: number;
  values: FilterRecord;
  visits: FilterRecord[];
}

const catalogArb = fc
  .subarray(COLUMNS, { minLength: 1 })
  .map((cols): { catalog: FilterCatalog; columns: Map<string, string> } => {
    const columns = new Map(cols.map((c, i) => [`f${i}_${c.type}`, c.column]));
    return {
      columns,
      catalog: {
        fields: cols.map((c, i) => field(`f${i}_${c.type}`, c.type)),
        facts: { visits: { time: 'at', fields: FACT_FIELDS } },
      },
    };
  });

function rowsOf(catalog: FilterCatalog): fc.Arbitrary<Row[]> {
  const values = fc.record(
    Object.fromEntries(catalog.fields.map((f) => [f.key, recordValue(f.type)])),
  ) as fc.Arbitrary<FilterRecord>;
  const visit = fc.record({
    kind: recordValue('string'),
    amount: recordValue('number'),
    at: datetimeValue,
  }) as fc.Arbitrary<FilterRecord>;
  return fc
    .array(fc.record({ values, visits: fc.array(visit, { maxLength: 4 }) }), { maxLength: 25 })
    .map((rows) => rows.map((r, id) => ({ id, ...r })));
}

let admin: pg.Client;
let database: Database;
const schema = uniqueName('filter_prop');
const ident = (name: string) => sql.raw(pg.escapeIdentifier(name));
let run = 0;

beforeAll(async () => {
  admin = await adminClient();
  const s = pg.escapeIdentifier(schema);
  await admin.query(`CREATE SCHEMA ${s}`);
  const columns = TABLE.flatMap(([, sqlType, names]) => names.map((n) => `${n} ${sqlType}`));
  await admin.query(`CREATE TABLE ${s}.records (
    run int NOT NULL, id int NOT NULL, ${columns.join(', ')}, PRIMARY KEY (run, id))`);
  await admin.query(`CREATE TABLE ${s}.visits (
    run int NOT NULL, record_id int NOT NULL, kind text, amount numeric, at timestamptz)`);
  database = createDatabase({ url: testEnv().databaseUrl, max: 4 });
});

afterAll(async () => {
  await database.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

async function insert(runId: number, rows: Row[], columns: Map<string, string>): Promise<void> {
  for (const row of rows) {
    const names = ['run', 'id'];
    const params: unknown[] = [runId, row.id];
    for (const [key, column] of columns) {
      names.push(column);
      params.push(row.values[key] ?? null);
    }
    const list = names.map((n) => pg.escapeIdentifier(n)).join(', ');
    const marks = params.map((_, i) => `$${i + 1}`).join(', ');
    await admin.query(
      `INSERT INTO ${pg.escapeIdentifier(schema)}.records (${list}) VALUES (${marks})`,
      params,
    );
    for (const v of row.visits) {
      await admin.query(
        `INSERT INTO ${pg.escapeIdentifier(schema)}.visits (run, record_id, kind, amount, at) VALUES ($1, $2, $3, $4, $5)`,
        [runId, row.id, v.kind ?? null, v.amount ?? null, v.at ?? null],
      );
    }
  }
}

function mappingOf(columns: Map<string, string>): FilterSqlMapping {
  const r = sql.raw('r');
  const v = sql.raw('v');
  return {
    fields: Object.fromEntries([...columns].map(([key, col]) => [key, sql`${r}.${ident(col)}`])),
    facts: {
      visits: {
        from: sql`${ident(schema)}.visits AS v`,
        correlate: sql`${v}.run = ${r}.run AND ${v}.record_id = ${r}.id`,
        fields: { kind: sql`${v}.kind`, amount: sql`${v}.amount`, at: sql`${v}.at` },
      },
    },
  };
}

async function selected(runId: number, predicate: SQL): Promise<number[]> {
  const result = await database.db.execute<{ id: number }>(
    sql`SELECT r.id FROM ${ident(schema)}.records AS r WHERE r.run = ${runId} AND ${predicate} ORDER BY r.id`,
  );
  return result.rows.map((x) => x.id);
}

describe('filter language: SQL and evaluator agree', () => {
  it('select the same rows for random catalogs, rows and filters', async () => {
    const scenario = catalogArb.chain(({ catalog, columns }) =>
      fc.record({
        catalog: fc.constant(catalog),
        columns: fc.constant(columns),
        rows: rowsOf(catalog),
        filters: fc.array(filterOf(catalog), { minLength: 1, maxLength: 12 }),
        now: fc.constantFrom(...NOWS),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ catalog, columns, rows, filters, now }) => {
        run += 1;
        const runId = run;
        await insert(runId, rows, columns);
        const mapping = mappingOf(columns);
        for (const filter of filters) {
          expect(validateFilter(filter, catalog)).toEqual([]);
          const expected = rows
            .filter((row) =>
              evaluateFilter(filter, row.values, {
                now,
                catalog,
                facts: { visits: row.visits },
              }),
            )
            .map((row) => row.id);
          const actual = await selected(runId, compileFilter(filter, { catalog, mapping, now }));
          expect(actual, JSON.stringify(filter)).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
