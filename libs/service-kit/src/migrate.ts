import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import pg from 'pg';

export interface MigrateOptions {
  databaseUrl: string;
  /** The service's own schema, e.g. `profiles`. */
  schema: string;
  migrationsFolder: string;
  /** Role the service runs as; created if missing and granted its schema only. */
  role?: string | undefined;
  log?: (message: string) => void;
}

const DUPLICATE_OBJECT = '42710';

/**
 * Applies a service's migrations under an advisory lock, so replicas starting together
 * (or a Job racing an init container) apply each migration once.
 */
export async function runMigrations(options: MigrateOptions): Promise<void> {
  const log = options.log ?? (() => undefined);
  const schema = pg.escapeIdentifier(options.schema);
  const lock = new pg.Client({ connectionString: options.databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`crm:migrate:${options.schema}`]);
    log(`migrating schema ${options.schema}`);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await applyMigrations(lock, options.schema, options.migrationsFolder);
    if (options.role) await grantSchemaToRole(lock, options.schema, options.role);
    log(`schema ${options.schema} is up to date`);
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`crm:migrate:${options.schema}`]);
    await lock.end();
  }
}

/**
 * drizzle's migrator, with its bookkeeping table (`<schema>.__migrations`), run on our own
 * connection: drizzle-kit opens a service's first migration with `CREATE SCHEMA "<schema>"`,
 * which fails there because the schema already holds that table.
 */
async function applyMigrations(client: pg.Client, schemaName: string, folder: string) {
  const table = `${pg.escapeIdentifier(schemaName)}.__migrations`;
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${table} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
  );
  const { rows } = await client.query<{ created_at: string | number }>(
    `SELECT created_at FROM ${table} ORDER BY created_at DESC LIMIT 1`,
  );
  const last = rows[0] ? Number(rows[0].created_at) : null;
  const pending = readMigrationFiles({ migrationsFolder: folder }).filter(
    (m) => last === null || last < m.folderMillis,
  );
  if (pending.length === 0) return;
  await client.query('BEGIN');
  try {
    for (const migration of pending) {
      for (const statement of tolerateExistingSchema(migration)) await client.query(statement);
      await client.query(`INSERT INTO ${table} (hash, created_at) VALUES ($1, $2)`, [
        migration.hash,
        migration.folderMillis,
      ]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

function tolerateExistingSchema(migration: MigrationMeta): string[] {
  return migration.sql
    .filter((statement) => statement.trim() !== '')
    .map((statement) =>
      statement.replace(/^(\s*)CREATE SCHEMA (?!IF NOT EXISTS)/i, '$1CREATE SCHEMA IF NOT EXISTS '),
    );
}

async function grantSchemaToRole(client: pg.Client, schemaName: string, roleName: string) {
  const schema = pg.escapeIdentifier(schemaName);
  const role = pg.escapeIdentifier(roleName);
  try {
    await client.query(`CREATE ROLE ${role} NOLOGIN`);
  } catch (err) {
    // Roles are cluster-wide: another database's migration may have created it first.
    if ((err as { code?: string }).code !== DUPLICATE_OBJECT) throw err;
  }
  await client.query(`GRANT ${role} TO CURRENT_USER`).catch(() => undefined);
  await client.query(`REVOKE ALL ON SCHEMA public FROM ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
  await client.query(
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
  );
  await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
  await client.query(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
  );
  await client.query(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`,
  );
  // Tables a migration marks `COMMENT ON TABLE ... IS 'append-only'` (audit trails) keep
  // their rows: the service role may add to them but never change or remove one.
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class') = 'append-only'`,
    [schemaName],
  );
  for (const { name } of rows) {
    await client.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.${pg.escapeIdentifier(name)} FROM ${role}`,
    );
  }
  // pg-boss keeps its tables in a schema of the service's own, which it creates and upgrades.
  const jobs = pg.escapeIdentifier(jobsSchemaOf(schemaName));
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${jobs} AUTHORIZATION ${role}`);
  await client.query(`GRANT ALL ON SCHEMA ${jobs} TO ${role}`);
}

export function jobsSchemaOf(schema: string): string {
  return `${schema}_jobs`;
}

/** `node dist/migrate.js`: the Kubernetes Job / init container entry point of a service. */
export async function runMigrationsCli(schema: string, migrationsFolder: string): Promise<void> {
  const databaseUrl = process.env.MIGRATE_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write('Set DATABASE_URL (or MIGRATE_DATABASE_URL) to migrate\n');
    process.exit(1);
  }
  try {
    await runMigrations({
      databaseUrl,
      schema,
      migrationsFolder,
      role: process.env.DATABASE_ROLE ?? `crm_${schema}`,
      log: (m) => process.stdout.write(`${m}\n`),
    });
  } catch (err) {
    process.stderr.write(`migration of ${schema} failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
