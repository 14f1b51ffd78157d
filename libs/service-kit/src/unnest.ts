import { getTableColumns, is, sql, SQL, type InferInsertModel } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * The columns and rows of a multi-row insert as `(<columns>) SELECT * FROM unnest($1::<type>[],
 * …)`: one parameter per column, however many rows. Building a multi-row `VALUES` list costs
 * the query builder a step per value and Postgres a parameter per value; this costs one
 * array per column, and the statement's text is the same for any number of rows.
 *
 *   await db.execute(sql`INSERT INTO ${t} ${unnestRows(t, rows)} ON CONFLICT DO NOTHING`);
 *
 * A column any row gives is inserted for every row: a row that leaves it out gives NULL, as a
 * `VALUES` list would for a column without a default. A column with a default must be given
 * by every row or by none (an array cannot ask for the default). Values go through the
 * column's own mapping (jsonb serialised, dates as ISO text).
 */
export function unnestRows<T extends PgTable>(table: T, rows: InferInsertModel<T>[]): SQL {
  if (rows.length === 0) throw new Error('unnestRows needs at least one row');
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const given = new Set<string>();
  for (const row of rows) {
    for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
      if (value !== undefined && columns[key] !== undefined) given.add(key);
    }
  }
  const names: SQL[] = [];
  const arrays: SQL[] = [];
  for (const key of given) {
    const column = columns[key] as PgColumn;
    const values = rows.map((row, i) => {
      const value = (row as Record<string, unknown>)[key];
      if (value === undefined) {
        if (column.hasDefault) {
          throw new Error(`unnestRows: row ${String(i)} leaves out ${key}, which has a default`);
        }
        return null;
      }
      if (is(value, SQL)) throw new Error(`unnestRows: ${key} is an SQL expression, not a value`);
      return value === null ? null : column.mapToDriverValue(value);
    });
    names.push(sql`${sql.identifier(column.name)}`);
    arrays.push(sql`${sql.param(values)}::${sql.raw(column.getSQLType())}[]`);
  }
  return sql`(${sql.join(names, sql`, `)}) SELECT * FROM unnest(${sql.join(arrays, sql`, `)})`;
}
