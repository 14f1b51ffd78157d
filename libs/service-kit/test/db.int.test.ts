import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '@crm/testing';
import { createDatabase, type Database } from '../src/db.js';
import { FaultProxy, adminClient, testEnv, uniqueName } from './support.js';

let admin: pg.Client;
const role = uniqueName('kit_role_db');
const opened: Database[] = [];

beforeAll(async () => {
  admin = await adminClient();
  await admin.query(`CREATE ROLE ${pg.escapeIdentifier(role)} NOLOGIN`);
});

afterAll(async () => {
  for (const d of opened) await d.close().catch(() => undefined);
  await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
  await admin.end();
});

function open(options: { role?: string; applicationName?: string } = {}): Database {
  const database = createDatabase({ url: testEnv().databaseUrl, max: 2, ...options });
  opened.push(database);
  return database;
}

describe('createDatabase', () => {
  it('runs every connection as the configured role', async () => {
    const database = open({ role });
    const users = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const { rows } = await database.pool.query<{ u: string }>('SELECT current_user AS u');
        return rows[0]?.u;
      }),
    );
    expect(users).toEqual([role, role, role, role]);
  });

  it('fails queries, rather than hang or run as the login, when the role cannot be assumed', async () => {
    const database = open({ role: uniqueName('kit_no_such_role') });
    await expect(database.pool.query('SELECT 1')).rejects.toThrow(/does not exist/);
    expect(() => createDatabase({ url: testEnv().databaseUrl, role: 'x; DROP TABLE y' })).toThrow(
      /Not a role name/,
    );
  });

  it('gives a connection back to the pool when it was found dead at BEGIN', async () => {
    const { databaseUrl } = testEnv();
    const target = new URL(databaseUrl);
    const proxy = await FaultProxy.start({ host: target.hostname, port: Number(target.port) });
    const database = createDatabase({ url: proxy.url(databaseUrl), max: 1 });
    try {
      await database.pool.query('SELECT 1');
      expect(database.pool.idleCount).toBe(1);
      // The pooled connection looks idle and healthy until it is used.
      proxy.cutSilently();
      await expect(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`SELECT 1`);
        }),
      ).rejects.toThrow();
      expect(database.pool.totalCount - database.pool.idleCount).toBe(0);
      // With its only connection leaked, this would wait forever for a free one.
      const ok = await database.db.transaction(async (tx) => tx.execute(sql`SELECT 1 AS ok`));
      expect(ok.rows).toEqual([{ ok: 1 }]);
    } finally {
      // pool.end() waits for every client to come back: a leaked one would hold it forever.
      await Promise.race([database.close(), sleep(2000)]);
      await proxy.close();
    }
  });

  it('survives its connection dying mid-transaction, and keeps serving', async () => {
    const applicationName = uniqueName('kit_db_kill');
    const database = open({ applicationName });
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      await expect(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`SELECT 1`);
          await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
            [applicationName],
          );
          await tx.execute(sql`SELECT 2`);
        }),
      ).rejects.toThrow();
      const { rows } = await database.pool.query<{ ok: number }>('SELECT 1 AS ok');
      expect(rows[0]?.ok).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });
});
