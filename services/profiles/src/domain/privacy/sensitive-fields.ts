import type { Customer, CustomFieldValue } from '@crm/contracts';
import { AppError, type Db, type Executor, transaction } from '@crm/service-kit';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { SensitiveValuesRepository } from '../../db/sensitive-values.repository.js';
import { undecryptable, type CustomerKeys } from './customer-keys.js';
import { isSealed } from './field-crypto.js';

export interface CheckedValue {
  fieldId: string;
  name: string;
  sensitive: boolean;
  value: CustomFieldValue;
}

/**
 * Values of custom fields marked sensitive are stored, published and audited only sealed
 * with the customer's data key; callers who may read the customer get them decrypted.
 */
export interface SensitiveFieldsDeps {
  keys: CustomerKeys;
  fields: CustomFieldsRepository;
  /** Values of sensitive fields still stored in clear. */
  clear: SensitiveValuesRepository;
}

export class SensitiveFields {
  constructor(private readonly deps: SensitiveFieldsDeps) {}

  /**
   * Seals up to `batch` values of sensitive fields still stored in clear (written before
   * values were sealed), in one short transaction; returns how many it sealed.
   */
  async sealClear(db: Db, batch: number, tenantId?: string): Promise<number> {
    return transaction(db, async ({ db: tx }) => {
      const rows = await this.deps.clear.claimClear(tx, batch, tenantId);
      for (const row of rows) {
        const dataKey = await this.deps.keys.forWrite(tx, row.tenantId, row.customerId);
        const ctx = {
          tenantId: row.tenantId,
          customerId: row.customerId,
          field: `custom_fields.${row.name}`,
        };
        await this.deps.clear.replace(tx, row, this.deps.keys.seal(dataKey, ctx, row.value));
      }
      return rows.length;
    });
  }

  /**
   * The values as they are stored: sensitive ones sealed. A value equal to the one stored
   * keeps its ciphertext, so rewriting it is not a change.
   */
  async seal(
    tx: Executor,
    tenantId: string,
    customerId: string,
    values: CheckedValue[],
    current: Record<string, CustomFieldValue> = {},
  ): Promise<{ fieldId: string; value: CustomFieldValue }[]> {
    const sensitive = values.filter((v) => v.sensitive && v.value !== null);
    if (sensitive.length === 0) return values;
    const dataKey = await this.deps.keys.forWrite(tx, tenantId, customerId);
    return values.map((v) => {
      if (!v.sensitive || v.value === null) return v;
      const ctx = { tenantId, customerId, field: `custom_fields.${v.name}` };
      const stored = current[v.name];
      if (isSealed(stored)) {
        const before = this.open(() => this.deps.keys.open(dataKey, ctx, stored));
        if (JSON.stringify(before) === JSON.stringify(v.value)) return { ...v, value: stored };
      }
      return { ...v, value: this.deps.keys.seal(dataKey, ctx, v.value) };
    });
  }

  /**
   * A stored value of one customer, sealed again for another (a merge moving it); a value
   * still in clear is sealed for the other customer.
   */
  async reseal(
    tx: Executor,
    tenantId: string,
    from: string,
    to: string,
    name: string,
    stored: CustomFieldValue,
  ): Promise<string> {
    const field = `custom_fields.${name}`;
    let value: unknown = stored;
    if (isSealed(stored)) {
      const fromKey = (await this.deps.keys.forRead(tx, tenantId, [from])).get(from);
      if (!fromKey) throw new Error(`customer ${from} has no data key`);
      value = this.open(() =>
        this.deps.keys.open(fromKey, { tenantId, customerId: from, field }, stored),
      );
    }
    const toKey = await this.deps.keys.forWrite(tx, tenantId, to);
    return this.deps.keys.seal(toKey, { tenantId, customerId: to, field }, value);
  }

  /** Names of the tenant's sensitive fields. */
  async names(db: Executor, tenantId: string): Promise<Set<string>> {
    const defs = await this.deps.fields.definitions(db, tenantId);
    return new Set(defs.filter((d) => d.isSensitive).map((d) => d.fieldName));
  }

  /** Customers as a caller who may read them sees them: sensitive values decrypted. */
  async reveal(db: Executor, customers: Customer[]): Promise<Customer[]> {
    const first = customers[0];
    if (!first || customers.every((c) => Object.keys(c.custom_fields ?? {}).length === 0)) {
      return customers;
    }
    const tenantId = first.tenant_id;
    const sensitive = await this.names(db, tenantId);
    const holders = customers.filter((c) =>
      Object.keys(c.custom_fields ?? {}).some((n) => sensitive.has(n)),
    );
    if (holders.length === 0) return customers;
    const keys = await this.deps.keys
      .forRead(
        db,
        tenantId,
        holders.map((c) => c.id),
      )
      .catch((err: unknown) => {
        throw undecryptable(err) ?? err;
      });
    return customers.map((c) => {
      const fields = c.custom_fields ?? {};
      if (!Object.keys(fields).some((n) => sensitive.has(n))) return c;
      const dataKey = keys.get(c.id);
      const revealed: Record<string, CustomFieldValue> = {};
      for (const [name, value] of Object.entries(fields)) {
        // Not sealed yet: written before values were sealed, until rotate-keys seals it.
        if (!sensitive.has(name) || value === null || !isSealed(value)) {
          revealed[name] = value;
          continue;
        }
        if (!dataKey) {
          throw new AppError(
            'internal',
            `Stored customer data does not decrypt: customer ${c.id} has no data key for ${name}`,
          );
        }
        const ctx = { tenantId, customerId: c.id, field: `custom_fields.${name}` };
        revealed[name] = this.open(() =>
          this.deps.keys.open(dataKey, ctx, value),
        ) as CustomFieldValue;
      }
      return { ...c, custom_fields: revealed };
    });
  }

  private open<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw undecryptable(err) ?? err;
    }
  }
}
