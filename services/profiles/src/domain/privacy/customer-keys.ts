import {
  AppError,
  forget,
  memo,
  remember,
  type Db,
  type Executor,
  transaction,
} from '@crm/service-kit';
import type { CustomerKeysRepository } from '../../db/customer-keys.repository.js';
import type { CustomerKeyRow } from '../../db/schema.js';
import {
  MasterKeyMissingError,
  UndecryptableError,
  type DataKey,
  type FieldCrypto,
  type SealContext,
} from './field-crypto.js';

export interface RotationProgress {
  rewrapped: number;
  /** Keys still wrapped by another master key than the active one. */
  remaining: number;
  active: string;
}

/** A sealed value that cannot be read: a server-side fault, never the caller's. */
export function undecryptable(err: unknown): AppError | null {
  if (err instanceof UndecryptableError || err instanceof MasterKeyMissingError) {
    return new AppError('internal', `Stored customer data does not decrypt: ${err.message}`);
  }
  return null;
}

function dataKeyMemo(tenantId: string, customerId: string): string {
  return `data-key:${tenantId}:${customerId}`;
}

/** The data keys of customers: made on first write, unwrapped per use, destroyed on erasure. */
export interface CustomerKeysDeps {
  crypto: FieldCrypto;
  repo: CustomerKeysRepository;
}

export class CustomerKeys {
  constructor(private readonly deps: CustomerKeysDeps) {}

  private unwrap(row: CustomerKeyRow): DataKey {
    return this.deps.crypto.unwrap(row.tenantId, row.customerId, row);
  }

  /** The customer's data key, created (and wrapped by the active master key) when missing. */
  async forWrite(tx: Executor, tenantId: string, customerId: string): Promise<DataKey> {
    // A change seals its audit values and sensitive fields with the same key: read it once.
    return memo(tx, dataKeyMemo(tenantId, customerId), async () => {
      const [found] = await this.deps.repo.find(tx, tenantId, [customerId]);
      return found ? this.unwrap(found) : this.create(tx, tenantId, customerId);
    });
  }

  /**
   * The data key of a customer this transaction has just created: stored straight away,
   * read only when one was there already (an id that existed before).
   */
  async forNew(tx: Executor, tenantId: string, customerId: string): Promise<DataKey> {
    return memo(tx, dataKeyMemo(tenantId, customerId), () => this.create(tx, tenantId, customerId));
  }

  /**
   * `forNew` and `forWrite` for many customers at once, ahead of their writes: the keys of
   * `created` (customers this transaction has just created) are stored, those of `existing`
   * read, one statement each, and remembered for the transaction. An existing customer
   * without a key yet gets one from `forWrite` when a write needs it.
   */
  async prepare(
    tx: Executor,
    created: { tenantId: string; customerId: string }[],
    existing: { tenantId: string; customerId: string }[],
  ): Promise<void> {
    const fresh = created.map(({ tenantId, customerId }) => {
      const dataKey: DataKey = { key: this.deps.crypto.newDataKey(), version: 1 };
      return {
        tenantId,
        customerId,
        keyVersion: dataKey.version,
        ...this.deps.crypto.wrap(tenantId, customerId, dataKey),
      };
    });
    const rows = [
      ...(await this.deps.repo.insertAllIfAbsent(tx, fresh)),
      ...(await this.deps.repo.findAll(tx, existing)),
    ];
    for (const row of rows) {
      remember(tx, dataKeyMemo(row.tenantId, row.customerId), this.unwrap(row));
    }
  }

  /**
   * Stores a new data key for the customer, wrapped by the active master key. A concurrent
   * first write (or an id that existed before) may have stored one first: whichever is
   * stored is the customer's key.
   */
  private async create(tx: Executor, tenantId: string, customerId: string): Promise<DataKey> {
    const dataKey: DataKey = { key: this.deps.crypto.newDataKey(), version: 1 };
    const stored = await this.deps.repo.insertIfAbsent(tx, {
      tenantId,
      customerId,
      keyVersion: dataKey.version,
      ...this.deps.crypto.wrap(tenantId, customerId, dataKey),
    });
    return this.unwrap(stored);
  }

  /** Data keys of the customers that have one; an erased customer has none. */
  async forRead(
    db: Executor,
    tenantId: string,
    customerIds: string[],
  ): Promise<Map<string, DataKey>> {
    const rows = await this.deps.repo.find(db, tenantId, [...new Set(customerIds)]);
    return new Map(rows.map((r) => [r.customerId, this.unwrap(r)]));
  }

  async destroy(tx: Executor, tenantId: string, customerIds: string[]): Promise<number> {
    for (const id of customerIds) forget(tx, dataKeyMemo(tenantId, id));
    return this.deps.repo.delete(tx, tenantId, customerIds);
  }

  seal(dataKey: DataKey, ctx: SealContext, value: unknown): string {
    return this.deps.crypto.seal(dataKey, ctx, value);
  }

  open(dataKey: DataKey, ctx: SealContext, sealed: string): unknown {
    return this.deps.crypto.open(dataKey, ctx, sealed);
  }

  /**
   * Re-wraps up to `batch` data keys with the active master key in one short transaction.
   * Values are untouched (they are sealed with the data keys), so reads keep working before,
   * during and after; a key being erased meanwhile is simply not there to re-wrap.
   */
  async rotateBatch(db: Db, batch: number, tenantId?: string): Promise<number> {
    const active = this.deps.crypto.activeMasterKeyId;
    return transaction(db, async ({ db: tx }) => {
      const rows = await this.deps.repo.claimStale(tx, active, batch, tenantId);
      for (const row of rows) {
        const dataKey = this.unwrap(row);
        await this.deps.repo.rewrap(
          tx,
          row,
          this.deps.crypto.wrap(row.tenantId, row.customerId, dataKey),
        );
      }
      return rows.length;
    });
  }

  async progress(db: Executor, rewrapped: number, tenantId?: string): Promise<RotationProgress> {
    const active = this.deps.crypto.activeMasterKeyId;
    const counts = await this.deps.repo.countByMaster(db, tenantId);
    let remaining = 0;
    for (const [id, n] of counts) if (id !== active) remaining += n;
    return { rewrapped, remaining, active };
  }
}
