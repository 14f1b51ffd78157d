import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../db.js';

/** How a table's rows about an erased customer go: deleted, or kept with columns blanked. */
export type ErasureRule = 'delete' | { anonymise: PgColumn[] };

/** One of a service's tables that holds rows about a customer. */
export interface CustomerTable {
  table: PgTable;
  tenantId: PgColumn;
  customerId: PgColumn;
  erase: ErasureRule;
  /**
   * Re-keys the merged customers' rows to the survivor. By default one UPDATE of
   * `customerId`; a table keyed by customer (counters) folds its rows together instead.
   */
  merge?: (
    db: Executor,
    tenantId: string,
    survivorId: string,
    mergedIds: string[],
  ) => Promise<void>;
}

/**
 * What a service declares about the customer data it keeps. The kit then handles
 * crm.customer.merged.v1 (re-keys these tables, records aliases) and crm.customer.erased.v1
 * (erases them and the kit's own copies, records the erasure), and with `replica` keeps the
 * local replica of assignments and answers access checks from it.
 */
export interface CustomerDataDeclaration {
  replica: boolean;
  tables: CustomerTable[];
}
