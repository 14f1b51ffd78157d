import type { SearchHit } from '@crm/contracts';
import type { Executor, CustomerScope } from '@crm/service-kit';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { scopePredicate } from './customers.repository.js';
import type { OpportunitiesRepository } from './opportunities.repository.js';
import type { RelationshipsRepository } from './relationships.repository.js';
import {
  collaborators,
  customFieldValues,
  customerPhones,
  customerPictures,
  customerTags,
  customers,
  externalRefs,
  mergedCustomers,
  searchDocuments as d,
} from './schema.js';

export interface DuplicateRow {
  hit: SearchHit;
  sameEmail: boolean;
  samePhone: boolean;
  nameSimilarity: number;
}

/** The repositories of what else hangs off a customer and moves to the survivor. */
export interface MergeRepositoryDeps {
  relationships: RelationshipsRepository;
  opportunities: OpportunitiesRepository;
}

export class MergeRepository {
  constructor(private readonly deps: MergeRepositoryDeps) {}

  /** The survivor of a merged id, following chains of merges. */
  async survivorOf(db: Executor, tenantId: string, id: string): Promise<string | null> {
    let current = id;
    for (let hops = 0; hops < 10; hops += 1) {
      const [row] = await db
        .select({ survivorId: mergedCustomers.survivorId })
        .from(mergedCustomers)
        .where(and(eq(mergedCustomers.tenantId, tenantId), eq(mergedCustomers.mergedId, current)));
      if (!row) return current === id ? null : current;
      current = row.survivorId;
    }
    return current;
  }

  /**
   * Moves what hangs off the merged customers to the survivor: tags and collaborators
   * united, external references re-pointed, custom values the survivor lacks (or was told
   * to take) copied; then the merged rows go.
   */
  async absorb(
    db: Executor,
    tenantId: string,
    survivorId: string,
    mergedIds: string[],
    takeValues: { fieldId: string; from: string }[],
  ): Promise<void> {
    for (const [table, column] of [
      [customerTags, 'tag_id'],
      [collaborators, 'staff_id'],
    ] as const) {
      await db.execute(sql`
        INSERT INTO ${table} (tenant_id, customer_id, ${sql.identifier(column)})
        SELECT tenant_id, ${survivorId}::uuid, ${sql.identifier(column)} FROM ${table}
         WHERE tenant_id = ${tenantId} AND customer_id IN (${sql.join(
           mergedIds.map((i) => sql`${i}::uuid`),
           sql`, `,
         )})
        ON CONFLICT DO NOTHING`);
    }
    for (const { fieldId, from } of takeValues) {
      await db.execute(sql`
        INSERT INTO ${customFieldValues} (tenant_id, customer_id, field_id, value)
        SELECT tenant_id, ${survivorId}::uuid, field_id, value FROM ${customFieldValues}
         WHERE tenant_id = ${tenantId} AND customer_id = ${from}::uuid AND field_id = ${fieldId}::uuid
        ON CONFLICT (tenant_id, customer_id, field_id) DO UPDATE SET value = excluded.value, updated_at = now()`);
    }
    await this.deps.relationships.moveToSurvivor(db, tenantId, survivorId, mergedIds);
    await this.deps.opportunities.moveToSurvivor(db, tenantId, survivorId, mergedIds);
    await db
      .update(externalRefs)
      .set({ customerId: survivorId })
      .where(and(eq(externalRefs.tenantId, tenantId), inArray(externalRefs.customerId, mergedIds)));
    for (const table of [
      customerTags,
      collaborators,
      customFieldValues,
      customerPictures,
      customerPhones,
    ] as const) {
      await db
        .delete(table)
        .where(and(eq(table.tenantId, tenantId), inArray(table.customerId, mergedIds)));
    }
    await db.delete(d).where(and(eq(d.tenantId, tenantId), inArray(d.customerId, mergedIds)));
    await db
      .delete(customers)
      .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, mergedIds)));
  }

  async recordMerge(
    db: Executor,
    tenantId: string,
    survivorId: string,
    mergedIds: string[],
    by: string,
  ): Promise<void> {
    // Earlier merges into a now merged customer point at the new survivor directly.
    await db
      .update(mergedCustomers)
      .set({ survivorId })
      .where(
        and(eq(mergedCustomers.tenantId, tenantId), inArray(mergedCustomers.survivorId, mergedIds)),
      );
    await db
      .insert(mergedCustomers)
      .values(mergedIds.map((mergedId) => ({ tenantId, mergedId, survivorId, mergedBy: by })));
  }

  /** Same email, a number in common or a similar name, among the customers the scope may see. */
  async duplicates(
    db: Executor,
    scope: CustomerScope,
    of: { id: string; email: string | null; phones: string[]; names: string },
  ): Promise<DuplicateRow[]> {
    const c = customers;
    const sameEmail = sql`(${of.email}::text IS NOT NULL AND lower(${c.email}) = lower(${of.email}))`;
    const p = customerPhones;
    const samePhone =
      of.phones.length === 0
        ? sql`false`
        : sql`EXISTS (SELECT 1 FROM ${p} WHERE ${p.tenantId} = ${c.tenantId} AND ${p.customerId} = ${c.id} AND ${p.number} IN (${sql.join(
            of.phones.map((n) => sql`${n}`),
            sql`, `,
          )}))`;
    const rows = await db.execute<{
      id: string;
      same_email: boolean;
      same_phone: boolean;
      sim: number;
    }>(sql`
      SELECT ${c.id} AS id, ${sameEmail} AS same_email, ${samePhone} AS same_phone,
             coalesce(profiles.similarity(s.names, ${of.names}), 0)::float8 AS sim
        FROM ${c}
        LEFT JOIN ${d} s ON s.tenant_id = ${c.tenantId} AND s.customer_id = ${c.id}
       WHERE ${scopePredicate(scope)} AND ${c.id} <> ${of.id}
         AND (${sameEmail} OR ${samePhone} OR s.names OPERATOR(profiles.%) ${of.names})
       LIMIT 50`);
    const ids = rows.rows.map((r) => r.id);
    if (ids.length === 0) return [];
    const found = await db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, scope.tenantId), inArray(customers.id, ids)));
    const byId = new Map(found.map((c) => [c.id, c]));
    return rows.rows.flatMap((r) => {
      const c = byId.get(r.id);
      if (!c) return [];
      return [
        {
          hit: {
            id: c.id,
            first_name: c.firstName,
            last_name: c.lastName,
            email: c.email,
            phone: c.phone,
            company_name: c.companyName,
            customer_status: c.customerStatus,
            customer_stage: c.customerStage,
            vip_status: c.vipStatus,
            tags: [],
            updated_at: c.updatedAt.toISOString(),
          },
          sameEmail: r.same_email,
          samePhone: r.same_phone,
          nameSimilarity: r.sim,
        },
      ];
    });
  }
}
