import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsSchemaOf, runMigrations } from '../src/migrate.js';
import { adminClient, migrationsFor, testEnv, uniqueName } from './support.js';

interface Journal {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

let admin: pg.Client;
const schemas: string[] = [];
const roles: string[] = [];
const folders: string[] = [];

beforeAll(async () => {
  admin = await adminClient();
});

afterAll(async () => {
  for (const schema of schemas) {
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  }
  for (const role of roles) {
    // Roles are cluster-wide and outlive the test database: drop what this run created.
    await admin.query(`DROP OWNED BY ${pg.escapeIdentifier(role)}`).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
  }
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
  await admin.end();
});

async function freshSchema(label: string): Promise<{ schema: string; folder: string }> {
  const schema = uniqueName(`kit_test_${label}`);
  schemas.push(schema, jobsSchemaOf(schema));
  const folder = await migrationsFor(schema);
  folders.push(folder);
  return { schema, folder };
}

function freshRole(): string {
  const role = uniqueName('kit_role');
  roles.push(role);
  return role;
}

/** Adds a migration to a copied folder, the way drizzle-kit appends one to the journal. */
async function addMigration(folder: string, tag: string, statements: string[]): Promise<void> {
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Journal;
  const last = journal.entries.at(-1);
  journal.entries.push({
    idx: journal.entries.length,
    version: '7',
    when: (last?.when ?? 0) + 1000,
    tag,
    breakpoints: true,
  });
  await mkdir(join(folder, 'meta'), { recursive: true });
  await writeFile(journalPath, JSON.stringify(journal, null, 2));
  await writeFile(join(folder, `${tag}.sql`), statements.join('\n--> statement-breakpoint\n'));
}

async function appliedCount(schema: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(schema)}.__migrations`,
  );
  return rows[0]?.n ?? 0;
}

async function tables(schema: string): Promise<string[]> {
  const { rows } = await admin.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.table_name);
}

/** Runs `fn` on a connection that has become the service's role. */
async function asRole<T>(role: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testEnv().databaseUrl });
  await client.connect();
  try {
    await client.query(`SET ROLE ${pg.escapeIdentifier(role)}`);
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('runMigrations', () => {
  it('applies drizzle-kit migrations once when replicas run them at the same time', async () => {
    const { schema, folder } = await freshSchema('migrate');
    const { databaseUrl } = testEnv();
    const role = freshRole();

    await Promise.all(
      Array.from({ length: 3 }, () =>
        runMigrations({ databaseUrl, schema, migrationsFolder: folder, role }),
      ),
    );
    expect(await appliedCount(schema)).toBe(1);
    expect(await tables(schema)).toEqual([
      '__migrations',
      'dead_letters',
      'effects',
      'idempotency_keys',
      'inbox',
      'outbox',
      'records',
    ]);

    await runMigrations({ databaseUrl, schema, migrationsFolder: folder, role });
    expect(await appliedCount(schema)).toBe(1);
  });

  it('applies a later migration on top, and the role can use its new table', async () => {
    const { schema, folder } = await freshSchema('later');
    const { databaseUrl } = testEnv();
    const role = freshRole();
    await runMigrations({ databaseUrl, schema, migrationsFolder: folder, role });

    const q = pg.escapeIdentifier(schema);
    await addMigration(folder, '0001_labels', [
      `CREATE TABLE ${q}."labels" ("id" uuid PRIMARY KEY NOT NULL, "name" text NOT NULL);`,
      `ALTER TABLE ${q}."records" ADD COLUMN "label_id" uuid;`,
    ]);
    await runMigrations({ databaseUrl, schema, migrationsFolder: folder, role });
    expect(await appliedCount(schema)).toBe(2);
    expect(await tables(schema)).toContain('labels');

    await asRole(role, async (client) => {
      await client.query(`INSERT INTO ${q}.labels (id, name) VALUES (gen_random_uuid(), 'vip')`);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${q}.labels`,
      );
      expect(rows[0]?.n).toBe(1);
    });
  });

  it('rolls a failing migration back whole and releases the lock', async () => {
    const { schema, folder } = await freshSchema('failing');
    const { databaseUrl } = testEnv();
    await runMigrations({ databaseUrl, schema, migrationsFolder: folder });

    const q = pg.escapeIdentifier(schema);
    await addMigration(folder, '0001_broken', [
      `CREATE TABLE ${q}."half_done" ("id" uuid PRIMARY KEY NOT NULL);`,
      `ALTER TABLE ${q}."no_such_table" ADD COLUMN "x" int;`,
    ]);
    await expect(runMigrations({ databaseUrl, schema, migrationsFolder: folder })).rejects.toThrow(
      /no_such_table/,
    );
    expect(await appliedCount(schema)).toBe(1);
    expect(await tables(schema)).not.toContain('half_done');

    const { rows } = await admin.query<{ free: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS free',
      [`crm:migrate:${schema}`],
    );
    expect(rows[0]?.free).toBe(true);
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [`crm:migrate:${schema}`]);
  });

  it('gives the service role its own schema and nothing else', async () => {
    const { schema, folder } = await freshSchema('rights');
    const { databaseUrl } = testEnv();
    const role = freshRole();
    await runMigrations({ databaseUrl, schema, migrationsFolder: folder, role });

    const other = uniqueName('kit_test_other');
    schemas.push(other);
    const o = pg.escapeIdentifier(other);
    await admin.query(`CREATE SCHEMA ${o}`);
    await admin.query(`CREATE TABLE ${o}.secrets (id int)`);
    await admin.query(`CREATE TABLE public.${pg.escapeIdentifier(`${other}_public`)} (id int)`);

    const q = pg.escapeIdentifier(schema);
    await asRole(role, async (client) => {
      await client.query(
        `INSERT INTO ${q}.records (id, tenant_id, name) VALUES (gen_random_uuid(), gen_random_uuid(), 'mine')`,
      );
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${q}.records`,
      );
      expect(rows[0]?.n).toBe(1);
      await client.query(`SELECT count(*) FROM ${q}.__migrations`);

      const denied = client.query(`SELECT * FROM ${o}.secrets`);
      await expect(denied).rejects.toMatchObject({ code: '42501' });
      await expect(denied).rejects.toThrow(/permission denied/);
      await expect(
        client.query(`SELECT * FROM public.${pg.escapeIdentifier(`${other}_public`)}`),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(client.query(`CREATE TABLE public.sneaky (id int)`)).rejects.toMatchObject({
        code: '42501',
      });
      // Its pg-boss schema is its own to create tables in.
      await client.query(
        `CREATE TABLE ${pg.escapeIdentifier(jobsSchemaOf(schema))}.probe (id int)`,
      );
    });
    await admin.query(`DROP TABLE public.${pg.escapeIdentifier(`${other}_public`)}`);
  });
});
