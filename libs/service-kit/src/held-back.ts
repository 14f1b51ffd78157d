import type { Executor } from './db.js';

/**
 * Rows a transaction holds back to write all at once at its end, instead of as each is
 * added: `defer(tx)`, then `add` as the work goes, then `flush(tx)` before commit. A savepoint
 * that defers too hands what it held over to its transaction once it succeeded
 * (`handOver`); a savepoint that was rolled back never hands over, and what it held is
 * dropped with it. A transaction that does not defer has its rows written as they are added.
 */
export class HeldBack<T> {
  private readonly held = new WeakMap<object, T[]>();

  constructor(private readonly write: (tx: Executor, rows: T[]) => Promise<void>) {}

  defer(tx: Executor): void {
    this.held.set(tx, []);
  }

  /** Held when `tx` defers, written now otherwise. */
  async add(tx: Executor, rows: T[]): Promise<void> {
    if (rows.length === 0) return;
    const held = this.held.get(tx);
    if (held) held.push(...rows);
    else await this.write(tx, rows);
  }

  /** Writes what `tx` held back; `tx` no longer defers. */
  async flush(tx: Executor): Promise<void> {
    const held = this.held.get(tx);
    this.held.delete(tx);
    if (held && held.length > 0) await this.write(tx, held);
  }

  /** Passes what `from` (a savepoint that succeeded) held back on to `to`, its transaction. */
  async handOver(from: Executor, to: Executor): Promise<void> {
    const held = this.held.get(from);
    this.held.delete(from);
    if (held) await this.add(to, held);
  }
}
