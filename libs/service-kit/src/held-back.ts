import type { Executor } from './db.js';
import { TxContext } from './tx-context.js';

/**
 * Rows a transaction holds back to write all at once at its end, instead of as each is
 * added: `defer(ctx)`, then `add` as the work goes, then `flush(ctx)` before commit. The rows
 * are held on the transaction's context (`TxContext`). A savepoint that defers too hands what
 * it held over to its transaction once it succeeded (`handOver`); a savepoint that was rolled
 * back never hands over, and what it held is dropped with it. A transaction that does not
 * defer has its rows written as they are added.
 */
export class HeldBack<T> {
  constructor(private readonly write: (tx: Executor, rows: T[]) => Promise<void>) {}

  defer(ctx: TxContext): void {
    ctx.hold(this);
  }

  /** Held when the transaction of `tx` defers, written now otherwise. */
  async add(tx: Executor, rows: T[]): Promise<void> {
    if (rows.length === 0) return;
    const held = TxContext.of(tx)?.heldFor(this);
    if (held) held.push(...rows);
    else await this.write(tx, rows);
  }

  /** Writes what `ctx` held back; `ctx` no longer defers. */
  async flush(ctx: TxContext): Promise<void> {
    const held = ctx.release(this);
    if (held && held.length > 0) await this.write(ctx.db, held);
  }

  /** Passes what `from` (a savepoint that succeeded) held back on to `to`, its transaction. */
  async handOver(from: TxContext, to: TxContext): Promise<void> {
    const held = from.release(this);
    if (held) await this.add(to.db, held);
  }
}
