import type { CustomFieldValue } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import { sql } from 'drizzle-orm';
import { customFieldDefinitions as d, customFieldValues as v } from './schema.js';

export interface ClearValue {
  tenantId: string;
  customerId: string;
  fieldId: string;
  name: string;
  value: CustomFieldValue;
}

/** Values of sensitive fields still stored in clear: written before values were sealed. */
export class SensitiveValuesRepository {
  async claimClear(db: Executor, limit: number, tenantId?: string): Promise<ClearValue[]> {
    const result = await db.execute<{
      tenant_id: string;
      customer_id: string;
      field_id: string;
      field_name: string;
      value: CustomFieldValue;
    }>(sql`
      SELECT v.tenant_id, v.customer_id, v.field_id, d.field_name, v.value
        FROM ${v} v
        JOIN ${d} d ON d.tenant_id = v.tenant_id AND d.id = v.field_id
       WHERE d.is_sensitive
         AND NOT (jsonb_typeof(v.value) = 'string' AND left(v.value #>> '{}', 5) = 'enc1.')
         ${tenantId === undefined ? sql`` : sql`AND v.tenant_id = ${tenantId}`}
       ORDER BY v.tenant_id, v.customer_id, v.field_id
       LIMIT ${limit}
         FOR UPDATE OF v SKIP LOCKED`);
    return result.rows.map((r) => ({
      tenantId: r.tenant_id,
      customerId: r.customer_id,
      fieldId: r.field_id,
      name: r.field_name,
      value: r.value,
    }));
  }

  /** Replaces the clear value with its sealed form, unless it changed meanwhile. */
  async replace(db: Executor, row: ClearValue, sealed: string): Promise<void> {
    await db.execute(sql`
      UPDATE ${v} SET value = to_jsonb(${sealed}::text)
       WHERE tenant_id = ${row.tenantId} AND customer_id = ${row.customerId}
         AND field_id = ${row.fieldId} AND value = ${JSON.stringify(row.value)}::jsonb`);
  }
}
