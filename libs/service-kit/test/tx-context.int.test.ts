import { newId } from '@crm/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lockCustomersOf } from '../src/customers/merge.js';
import type { Executor } from '../src/db.js';
import { HeldBack } from '../src/held-back.js';
import { forget, memo, remember, transaction, TxContext } from '../src/tx-context.js';
import { createTestServiceDb, type TestServiceDb } from './support.js';

let svc: TestServiceDb;

beforeAll(async () => {
  svc = await createTestServiceDb('tx_context');
});

afterAll(async () => {
  await svc.close();
});

/** A load that counts how often it ran. */
function counter(): { load: () => Promise<number>; calls: () => number } {
  let calls = 0;
  return {
    load: () => Promise.resolve(++calls),
    calls: () => calls,
  };
}

class Rollback extends Error {}

describe('the memo of a transaction', () => {
  it('loads once per transaction; a plain pool and a new transaction load again', async () => {
    const c = counter();
    await transaction(svc.database.db, async (ctx) => {
      expect(TxContext.of(ctx.db)).toBe(ctx);
      expect(await memo(ctx.db, 'k', c.load)).toBe(1);
      expect(await ctx.memo.get('k', c.load)).toBe(1);
      remember(ctx.db, 'k', 7);
      expect(await memo(ctx.db, 'k', c.load)).toBe(7);
      forget(ctx.db, 'k');
      expect(await memo(ctx.db, 'k', c.load)).toBe(2);
    });
    expect(TxContext.of(svc.database.db)).toBeNull();
    expect(await memo(svc.database.db, 'k', c.load)).toBe(3);
    await transaction(svc.database.db, async (ctx) => {
      expect(await memo(ctx.db, 'k', c.load)).toBe(4);
    });
  });

  it('a savepoint shares it; rolled back, it forgets what it learnt except reads', async () => {
    const c = counter();
    await transaction(svc.database.db, async (ctx) => {
      await memo(ctx.db, 'before', c.load);
      await ctx
        .savepoint(async (sp) => {
          expect(sp.parent).toBe(ctx);
          expect(sp.memo).toBe(ctx.memo);
          await memo(sp.db, 'written', c.load);
          await memo(sp.db, 'reference', c.load, { read: true });
          remember(sp.db, 'before', 'changed');
          throw new Rollback();
        })
        .catch((err: unknown) => {
          if (!(err instanceof Rollback)) throw err;
        });
      expect(await memo(ctx.db, 'before', c.load)).toBe(1);
      expect(await memo(ctx.db, 'reference', c.load)).toBe(3);
      expect(await memo(ctx.db, 'written', c.load)).toBe(4);

      await ctx.savepoint((sp) => {
        remember(sp.db, 'before', 'kept');
        return Promise.resolve();
      });
      expect(await memo(ctx.db, 'before', c.load)).toBe('kept');
    });
  });
});

describe('rows held back on the context', () => {
  function recorder(): { held: HeldBack<string>; writes: string[][] } {
    const writes: string[][] = [];
    const held = new HeldBack<string>((_tx: Executor, rows) => {
      writes.push(rows);
      return Promise.resolve();
    });
    return { held, writes };
  }

  it('are written as added without defer, at once by flush with it', async () => {
    const { held, writes } = recorder();
    await held.add(svc.database.db, ['pool']);
    await transaction(svc.database.db, async (ctx) => {
      await held.add(ctx.db, ['now']);
      held.defer(ctx);
      await held.add(ctx.db, ['a']);
      await held.add(ctx.db, ['b']);
      expect(writes).toEqual([['pool'], ['now']]);
      await held.flush(ctx);
      await held.add(ctx.db, ['after']);
    });
    expect(writes).toEqual([['pool'], ['now'], ['a', 'b'], ['after']]);
  });

  it('a savepoint hands over what it held once it succeeded, and drops it when undone', async () => {
    const { held, writes } = recorder();
    await transaction(svc.database.db, async (ctx) => {
      held.defer(ctx);
      for (const [row, fails] of [
        ['kept', false],
        ['undone', true],
      ] as const) {
        let sp: TxContext | undefined;
        await ctx
          .savepoint(async (inner) => {
            sp = inner;
            held.defer(inner);
            await held.add(inner.db, [row]);
            if (fails) throw new Rollback();
          })
          .then(async () => {
            if (sp) await held.handOver(sp, ctx);
          })
          .catch((err: unknown) => {
            if (!(err instanceof Rollback)) throw err;
          });
      }
      expect(ctx.heldFor<string>(held)).toEqual(['kept']);
      await held.flush(ctx);
    });
    expect(writes).toEqual([['kept']]);
  });
});

describe('hooks before commit', () => {
  it('run in order after the work, inside the transaction; not when the work fails', async () => {
    const order: string[] = [];
    const tenantId = newId();
    const id = newId();
    await transaction(svc.database.db, (ctx) => {
      ctx.onBeforeCommit(async () => {
        order.push('first');
        await ctx.db.insert(svc.tables.records).values({ id, tenantId, name: 'by a hook' });
      });
      ctx.onBeforeCommit(() => {
        order.push('second');
        return Promise.resolve();
      });
      order.push('work');
      return Promise.resolve();
    });
    expect(order).toEqual(['work', 'first', 'second']);
    const rows = await svc.database.db
      .select()
      .from(svc.tables.records)
      .where(eq(svc.tables.records.id, id));
    expect(rows).toHaveLength(1);

    const failed: string[] = [];
    await expect(
      transaction(svc.database.db, (ctx) => {
        ctx.onBeforeCommit(() => {
          failed.push('hook');
          return Promise.resolve();
        });
        return Promise.reject(new Rollback());
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(failed).toEqual([]);
  });
});

describe('customers’ locks of a transaction', () => {
  /** Whether another session could take the lock of `tenantId:customerId` now. */
  async function free(tenantId: string, customerId: string): Promise<boolean> {
    const client = await svc.database.pool.connect();
    try {
      const { rows } = await client.query<{ got: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS got',
        [`${tenantId}:${customerId}`],
      );
      return rows[0]?.got === true;
    } finally {
      client.release();
    }
  }

  it('are asked for once; a savepoint rolled back gives its own up, and they are asked for again', async () => {
    const tenantId = newId();
    const [a, b, c] = [newId(), newId(), newId()];
    await transaction(svc.database.db, async (ctx) => {
      const execute = vi.spyOn(ctx.db, 'execute');
      await lockCustomersOf(ctx.db, [
        { tenantId, customerId: a },
        { tenantId, customerId: b },
      ]);
      expect(execute).toHaveBeenCalledTimes(1);
      expect(await free(tenantId, a)).toBe(false);
      // The same customers again (the handler behind the erasure check): no statement.
      await lockCustomersOf(ctx.db, [
        { tenantId, customerId: b },
        { tenantId, customerId: a },
      ]);
      expect(execute).toHaveBeenCalledTimes(1);

      await ctx
        .savepoint(async (sp) => {
          await lockCustomersOf(sp.db, [
            { tenantId, customerId: a },
            { tenantId, customerId: c },
          ]);
          expect(await free(tenantId, c)).toBe(false);
          throw new Rollback();
        })
        .catch((err: unknown) => {
          if (!(err instanceof Rollback)) throw err;
        });
      // The rollback released c's lock: it is asked for again, a's is still held.
      expect(await free(tenantId, c)).toBe(true);
      expect(await free(tenantId, a)).toBe(false);
      const calls = execute.mock.calls.length;
      await lockCustomersOf(ctx.db, [
        { tenantId, customerId: a },
        { tenantId, customerId: c },
      ]);
      expect(execute.mock.calls.length).toBe(calls + 1);
      expect(await free(tenantId, c)).toBe(false);
    });
    expect(await free(tenantId, a)).toBe(true);
  });
});
