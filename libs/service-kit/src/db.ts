import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type Db = NodePgDatabase;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a repository can run a query on: the pool-backed database or a transaction. */
export type Executor = Db | Tx;

export interface Database {
  pool: pg.Pool;
  db: Db;
  close: () => Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  max?: number | undefined;
  /** SET ROLE on every connection, so a shared login still only reaches its own schema. */
  role?: string | undefined;
  applicationName?: string | undefined;
}

// Dates stay strings (timestamptz → ISO via Date, date → 'YYYY-MM-DD'), bigint counts become numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createDatabase(options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  const role = options.role;
  if (role) {
    pool.on('connect', (client) => {
      client.query(`SET ROLE ${pg.escapeIdentifier(role)}`).catch(() => {
        client.release(new Error('SET ROLE failed'));
      });
    });
  }
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool });
  return {
    pool,
    db,
    close: () => pool.end(),
  };
}
