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

const ROLE_NAME = /^[a-z_][a-z0-9_]*$/;

export function createDatabase(options: DatabaseOptions): Database {
  const role = options.role;
  if (role !== undefined && !ROLE_NAME.test(role)) {
    throw new Error(`Not a role name: ${role}`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    // Set at connection start, so a role the login may not assume fails the connection
    // instead of leaving it to run as the login role.
    ...(role ? { options: `-c role=${role}` } : {}),
  });
  // A client losing its server while checked out emits 'error' besides failing its query;
  // unheard, that event would crash the process. The query's own error is what callers see.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool });
  db.transaction = async (run, config) => {
    // drizzle sends BEGIN before its try/finally, so a pooled connection that turns out dead
    // at BEGIN was never released: enough of those and the pool hangs. Check it out here.
    const client = await pool.connect();
    try {
      return await drizzle({ client }).transaction(run, config);
    } finally {
      // The pool drops a client whose connection failed, whatever is passed here.
      client.release();
    }
  };
  return {
    pool,
    db,
    close: () => pool.end(),
  };
}
