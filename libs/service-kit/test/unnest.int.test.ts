import { sql } from 'drizzle-orm';
import {
  PgDialect,
  boolean,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/db.js';
import { unnestRows } from '../src/unnest.js';
import { adminClient, testEnv, uniqueName } from './support.js';

const schemaName = uniqueName('kit_unnest');
const rowsTable = pgSchema(schemaName).table('rows', {
  id: uuid('id').primaryKey(),
  name: varchar('name', { length: 20 }).notNull(),
  note: text('note'),
  data: jsonb('data').$type<{ tags: string[]; quote: string }>(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }),
  flag: boolean('flag').notNull().default(false),
  n: integer('n'),
});

let admin: pg.Client;
let database: Database;

beforeAll(async () => {
  admin = await adminClient();
  await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(schemaName)}`);
  await admin.query(`CREATE TABLE ${pg.escapeIdentifier(schemaName)}.rows (
    id uuid PRIMARY KEY, name varchar(20) NOT NULL, note text, data jsonb,
    at timestamptz, flag boolean NOT NULL DEFAULT false, n integer)`);
  database = createDatabase({ url: testEnv().databaseUrl, max: 2 });
});

afterAll(async () => {
  await database.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schemaName)} CASCADE`);
  await admin.end();
});

const id = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('unnestRows', () => {
  it('inserts any number of rows with one array per column, each value mapped by its column', async () => {
    const at = new Date('2026-03-01T10:00:00.000Z');
    const tricky = 'quotes " and \\ backslash, {braces}, commas';
    await database.db.execute(
      sql`INSERT INTO ${rowsTable} ${unnestRows(rowsTable, [
        {
          id: id(1),
          name: 'Ada',
          note: tricky,
          data: { tags: ['a', 'b'], quote: tricky },
          at,
          flag: true,
          n: 1,
        },
        // Nullable columns left out or null are NULL.
        { id: id(2), name: 'Bo', data: null, at: null, flag: false },
        { id: id(3), name: 'Cy', note: null, flag: false, n: 3 },
      ])}`,
    );
    const rows = await database.db.select().from(rowsTable).orderBy(rowsTable.id);
    expect(rows).toEqual([
      {
        id: id(1),
        name: 'Ada',
        note: tricky,
        data: { tags: ['a', 'b'], quote: tricky },
        at,
        flag: true,
        n: 1,
      },
      { id: id(2), name: 'Bo', note: null, data: null, at: null, flag: false, n: null },
      { id: id(3), name: 'Cy', note: null, data: null, at: null, flag: false, n: 3 },
    ]);
  });

  it('keeps the same statement text, with one parameter per column, for any number of rows', () => {
    const render = (n: number) =>
      new PgDialect().sqlToQuery(
        unnestRows(
          rowsTable,
          Array.from({ length: n }, (_, i) => ({ id: id(100 + i), name: 'x', flag: false })),
        ),
      );
    const one = render(1);
    const many = render(500);
    expect(many.sql).toBe(one.sql);
    expect(many.params).toHaveLength(3);
    expect(many.sql).toContain('unnest(');
  });

  it('refuses a row that leaves out a column with a default another row gives', () => {
    expect(() =>
      unnestRows(rowsTable, [
        { id: id(10), name: 'a', flag: true },
        { id: id(11), name: 'b' },
      ]),
    ).toThrow(/leaves out flag, which has a default/);
    expect(() => unnestRows(rowsTable, [])).toThrow(/at least one row/);
  });
});
