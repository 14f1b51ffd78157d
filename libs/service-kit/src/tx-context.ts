import type { Db, Executor, Tx } from './db.js';
import type { HeldBack } from './held-back.js';

/**
 * What a transaction remembers for its own length: reference data it has read once (custom
 * field definitions, tags by name), the data keys it used, the head of an audit chain it
 * holds the lock of. A write that runs many times in one transaction (a CSV import's batch)
 * then reads each of them once instead of once per row.
 */
export class TxMemo {
  private values = new Map<string, unknown>();
  /** Keys of what stays true when a savepoint is rolled back. */
  private readonly reads = new Set<string>();

  /**
   * The value remembered under `key`, or `load`'s, remembered from now on. `read`: `load`
   * only reads data that no savepoint of this transaction writes (reference data such as
   * custom field definitions), so a rolled-back savepoint need not forget it.
   */
  async get<T>(key: string, load: () => Promise<T>, options: { read?: boolean } = {}): Promise<T> {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = await load();
    this.values.set(key, value);
    if (options.read) this.reads.add(key);
    return value;
  }

  /** Replaces what is remembered under `key` (a value the transaction has just written). */
  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }

  /** Forgets `key`, so that the next `get` loads it again. */
  delete(key: string): void {
    this.values.delete(key);
  }

  /** Runs `work`; when it fails, forgets what was remembered meanwhile except reads. */
  async undoneWith<T>(work: () => Promise<T>): Promise<T> {
    const before = new Map(this.values);
    try {
      return await work();
    } catch (err) {
      for (const key of this.reads) {
        if (this.values.has(key) && !before.has(key)) before.set(key, this.values.get(key));
      }
      this.values = before;
      throw err;
    }
  }
}

const CONTEXT = Symbol('TxContext');
interface Carrier {
  [CONTEXT]?: TxContext;
}

/**
 * Everything one transaction carries besides its connection: what it remembers (`memo`),
 * the rows it holds back to write at its end (audit entries, outbox rows — see `HeldBack`),
 * and what runs just before it commits (`onBeforeCommit`). Begin one with `transaction(db,
 * work)`; open a savepoint of it with `ctx.savepoint(work)`, whose context shares the memo
 * (undone with the savepoint) and holds back rows of its own.
 *
 * Code that is handed only the drizzle transaction (`ctx.db`, a repository's executor)
 * reaches its context with `TxContext.of(executor)`; a plain pool, or a transaction not
 * begun with `transaction`, has none, and so remembers and holds back nothing.
 */
export class TxContext {
  readonly memo: TxMemo;
  private readonly held = new Map<HeldBack<never>, unknown[]>();
  private readonly beforeCommit: (() => Promise<void>)[] = [];

  private constructor(
    /** The drizzle transaction (or savepoint) to run queries on. */
    readonly db: Tx,
    /** The transaction a savepoint belongs to; null for a transaction. */
    readonly parent: TxContext | null,
  ) {
    this.memo = parent?.memo ?? new TxMemo();
    Object.defineProperty(db, CONTEXT, { value: this });
  }

  static of(db: Executor): TxContext | null {
    return (db as Carrier)[CONTEXT] ?? null;
  }

  /** Begins `work` in a transaction of `db`; see `transaction`. */
  static async begin<T>(db: Db, work: (ctx: TxContext) => Promise<T>): Promise<T> {
    return db.transaction(async (tx) => new TxContext(tx, null).run(work));
  }

  /**
   * Runs `work` in a savepoint. When it fails the savepoint is rolled back, and so is what
   * the transaction remembered meanwhile and what the savepoint held back; the error is
   * thrown on.
   */
  async savepoint<T>(work: (sp: TxContext) => Promise<T>): Promise<T> {
    return this.memo.undoneWith(() =>
      this.db.transaction(async (sp) => new TxContext(sp, this).run(work)),
    );
  }

  /** `hook` runs once `work` is through, just before this transaction (or savepoint) ends. */
  onBeforeCommit(hook: () => Promise<void>): void {
    this.beforeCommit.push(hook);
  }

  /** Starts holding back rows for `owner`, dropping any it held. */
  hold<T>(owner: HeldBack<T>): void {
    this.held.set(owner, []);
  }

  /** The rows held back for `owner`, or undefined when this context does not hold for it. */
  heldFor<T>(owner: HeldBack<T>): T[] | undefined {
    return this.held.get(owner) as T[] | undefined;
  }

  /** The rows held back for `owner`, which is no longer held for. */
  release<T>(owner: HeldBack<T>): T[] | undefined {
    const rows = this.heldFor(owner);
    this.held.delete(owner);
    return rows;
  }

  private async run<T>(work: (ctx: TxContext) => Promise<T>): Promise<T> {
    const result = await work(this);
    for (const hook of this.beforeCommit) await hook();
    return result;
  }
}

/** Runs `work` in a transaction of `db` with a context of its own; hooks run before commit. */
export async function transaction<T>(db: Db, work: (ctx: TxContext) => Promise<T>): Promise<T> {
  return TxContext.begin(db, work);
}

/**
 * The value remembered under `key` by the transaction `db` belongs to, or `load`'s,
 * remembered from now on; a plain pool always loads. See `TxMemo.get`.
 */
export async function memo<T>(
  db: Executor,
  key: string,
  load: () => Promise<T>,
  options: { read?: boolean } = {},
): Promise<T> {
  const ctx = TxContext.of(db);
  return ctx ? ctx.memo.get(key, load, options) : load();
}

/** Replaces what the transaction of `db` remembers under `key` (a value it has just written). */
export function remember(db: Executor, key: string, value: unknown): void {
  TxContext.of(db)?.memo.set(key, value);
}

/** Forgets `key` in the transaction of `db`, so that the next `memo` loads it again. */
export function forget(db: Executor, key: string): void {
  TxContext.of(db)?.memo.delete(key);
}
