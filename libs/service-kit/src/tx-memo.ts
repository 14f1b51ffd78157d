import type { Executor, Tx } from './db.js';
import { PgTransaction } from 'drizzle-orm/pg-core';

/**
 * What a transaction remembers for its own length: reference data it has read once (custom
 * field definitions, tags by name), the data keys it used, the head of an audit chain it
 * holds the lock of. A write that runs many times in one transaction (a CSV import's batch)
 * then reads each of them once instead of once per row.
 *
 * Only transactions remember; a plain pool query always loads. A savepoint opened with
 * `savepoint` shares its transaction's memory, and rolling it back restores the memory to
 * what it was when the savepoint began, as the database does with the data — except for
 * reads of data the savepoint does not write (`memo(..., { read: true })`), which stay true.
 * Savepoints opened any other way would not be undone here: open them with `savepoint`.
 */
const parents = new WeakMap<object, object>();
const memories = new WeakMap<object, Map<string, unknown>>();
/** Keys of what stays true when a savepoint is rolled back. */
const reads = new WeakMap<object, Set<string>>();

function rootOf(tx: object): object {
  let root = tx;
  for (let up = parents.get(root); up !== undefined; up = parents.get(root)) root = up;
  return root;
}

function memoryOf(db: Executor): Map<string, unknown> | null {
  if (!(db instanceof PgTransaction)) return null;
  const root = rootOf(db);
  let memory = memories.get(root);
  if (!memory) {
    memory = new Map();
    memories.set(root, memory);
  }
  return memory;
}

/**
 * The value remembered under `key` in this transaction, or `load`'s, remembered from now on.
 * `read`: `load` only reads data that no savepoint of this transaction writes (reference data
 * such as custom field definitions), so a rolled-back savepoint need not forget it.
 */
export async function memo<T>(
  db: Executor,
  key: string,
  load: () => Promise<T>,
  options: { read?: boolean } = {},
): Promise<T> {
  const memory = memoryOf(db);
  if (memory === null) return load();
  if (memory.has(key)) return memory.get(key) as T;
  const value = await load();
  memory.set(key, value);
  if (options.read) {
    const root = rootOf(db);
    const keys = reads.get(root) ?? new Set<string>();
    keys.add(key);
    reads.set(root, keys);
  }
  return value;
}

/** Replaces what the transaction remembers under `key` (a value it has just written). */
export function remember(db: Executor, key: string, value: unknown): void {
  memoryOf(db)?.set(key, value);
}

/** Forgets `key`, so that the next `memo` loads it again. */
export function forget(db: Executor, key: string): void {
  memoryOf(db)?.delete(key);
}

/**
 * Runs `work` in a savepoint of `tx`. When it fails the savepoint is rolled back and so is
 * what the transaction remembered meanwhile; the error is thrown on.
 */
export async function savepoint<T>(tx: Tx, work: (sp: Tx) => Promise<T>): Promise<T> {
  const root = rootOf(tx);
  const before = new Map(memories.get(root) ?? []);
  try {
    return await tx.transaction(async (sp) => {
      parents.set(sp, tx);
      return work(sp);
    });
  } catch (err) {
    const now = memories.get(root);
    for (const key of reads.get(root) ?? []) {
      if (now?.has(key) && !before.has(key)) before.set(key, now.get(key));
    }
    memories.set(root, before);
    throw err;
  }
}
