import { Customer } from '@crm/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../auth.js';
import type { Handlers } from '../consumer.js';
import type { Executor } from '../db.js';
import { AppError } from '../errors.js';
import { Upstream, jsonOf } from '../http-client.js';
import type { Metrics } from '../metrics.js';
import type { CustomerReplicaConfig } from './config.js';
import { replicaPredicate, type CustomerScope } from './access.js';
import type { CustomerTables } from './tables.js';

/** Who looks after one customer, at one version of the customer. */
export interface Assignment {
  tenantId: string;
  customerId: string;
  ownerId: string | null;
  teamId: string | null;
  /** Left out by events that do not carry them; the row keeps what it had. */
  collaboratorIds?: string[] | undefined;
  version: number;
}

/** Whether the caller may see a customer by the replica, or the replica has not heard of it. */
export type ReplicaAnswer = 'visible' | 'hidden' | 'unknown';

/**
 * The local replica of customer assignments, fed by crm.customer.created/updated and
 * crm.customer.assignment.changed; a newer version always wins, whatever the order.
 */
export class AssignmentReplica {
  constructor(private readonly tables: CustomerTables) {}

  get table(): CustomerTables['customerAccess'] {
    return this.tables.customerAccess;
  }

  async upsert(db: Executor, row: Assignment): Promise<void> {
    const t = this.tables.customerAccess;
    const set: Partial<typeof t.$inferInsert> = {
      ownerId: row.ownerId,
      teamId: row.teamId,
      version: row.version,
    };
    if (row.collaboratorIds) set.collaboratorIds = row.collaboratorIds;
    await db
      .insert(t)
      .values({ ...row, collaboratorIds: row.collaboratorIds ?? [] })
      .onConflictDoUpdate({
        target: [t.tenantId, t.customerId],
        set,
        // An older event never overwrites a newer assignment. The assignment event of a
        // version also brings collaborators, which a profile event of that version may lack.
        setWhere: row.collaboratorIds
          ? sql`${t.version} <= ${row.version}`
          : sql`${t.version} < ${row.version}`,
      });
  }

  async forget(db: Executor, tenantId: string, customerIds: string[]): Promise<void> {
    if (customerIds.length === 0) return;
    const t = this.tables.customerAccess;
    await db.delete(t).where(and(eq(t.tenantId, tenantId), inArray(t.customerId, customerIds)));
  }

  async check(db: Executor, scope: CustomerScope, customerId: string): Promise<ReplicaAnswer> {
    const t = this.tables.customerAccess;
    const [row] = await db
      .select({ visible: sql<boolean>`${replicaPredicate(t, scope)}` })
      .from(t)
      .where(and(eq(t.tenantId, scope.tenantId), eq(t.customerId, customerId)));
    if (!row) return 'unknown';
    return row.visible ? 'visible' : 'hidden';
  }

  handlers(): Handlers {
    return {
      'crm.customer.created.v1': ({ tx }, e) =>
        this.upsert(tx, fromCustomer(e.tenantid, e.data.customer)),
      'crm.customer.updated.v1': ({ tx }, e) =>
        this.upsert(tx, fromCustomer(e.tenantid, e.data.customer)),
      'crm.customer.assignment.changed.v1': ({ tx }, e) =>
        this.upsert(tx, {
          tenantId: e.tenantid,
          customerId: e.data.customer_id,
          ownerId: e.data.owner_id,
          teamId: e.data.team_id,
          collaboratorIds: e.data.collaborator_ids,
          version: e.data.version,
        }),
    };
  }
}

function fromCustomer(tenantId: string, c: Customer): Assignment {
  return {
    tenantId,
    customerId: c.id,
    ownerId: c.owner_id,
    teamId: c.team_id,
    collaboratorIds: c.collaborator_ids,
    version: c.version,
  };
}

/** Asks the owner of customers about one the replica has not heard of yet. */
export interface CustomerLookup {
  /** The customer's assignment as the caller may see it; null when it is not theirs to see. */
  find(principal: Principal, customerId: string): Promise<Assignment | null>;
}

/**
 * Reads `GET /crm/customers/{id}` from profiles with the caller's own token, so profiles
 * checks access too; behind the kit's breaker, so a profiles outage fails fast with 503.
 */
export class ProfilesLookup implements CustomerLookup {
  constructor(private readonly upstream: Upstream) {}

  static to(config: CustomerReplicaConfig, metrics?: Metrics): ProfilesLookup {
    const upstream = new Upstream({
      name: 'profiles',
      baseUrl: config.PROFILES_URL,
      timeoutMs: config.PROFILES_TIMEOUT_MS,
      metrics,
    });
    return new ProfilesLookup(upstream);
  }

  async find(principal: Principal, customerId: string): Promise<Assignment | null> {
    const res = await this.upstream.call({
      method: 'GET',
      path: `/crm/customers/${encodeURIComponent(customerId)}`,
      headers: { authorization: `Bearer ${principal.token}`, accept: 'application/json' },
    });
    // 404 (not there or not theirs) and 403 (not theirs) both mean: not for this caller.
    if (res.status === 404 || res.status === 403) return null;
    if (res.status !== 200) {
      throw new AppError('upstream_unavailable', `profiles answered ${res.status}`);
    }
    const parsed = Customer.safeParse(jsonOf(res));
    if (!parsed.success || parsed.data.tenant_id !== principal.tenant) {
      throw new AppError('upstream_unavailable', 'profiles answered with an unexpected body');
    }
    return fromCustomer(principal.tenant, parsed.data);
  }

  close(): Promise<void> {
    return this.upstream.close();
  }
}
