import { TeamMember } from '@crm/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../auth.js';
import type { Handlers } from '../consumer.js';
import type { Executor } from '../db.js';
import { AppError } from '../errors.js';
import { Upstream, jsonOf } from '../http-client.js';
import type { Metrics } from '../metrics.js';
import type { MemberTables } from './tables.js';

/** Whether a staff member may be assigned, at one version of the member. */
export interface MemberStatus {
  tenantId: string;
  memberId: string;
  active: boolean;
  version: number;
}

/**
 * The local replica of the staff directory, fed by crm.team.member.changed.v1; a newer
 * version always wins, whatever the order the events arrive in.
 */
export class MemberReplica {
  constructor(private readonly tables: MemberTables) {}

  async upsert(db: Executor, row: MemberStatus): Promise<void> {
    const t = this.tables.teamMembers;
    await db
      .insert(t)
      .values(row)
      .onConflictDoUpdate({
        target: [t.tenantId, t.memberId],
        set: { active: row.active, version: row.version },
        setWhere: sql`${t.version} < ${row.version}`,
      });
  }

  /** What the replica knows of each of `ids`; a member it has not heard of is missing. */
  async statusOf(
    db: Executor,
    tenantId: string,
    ids: string[],
  ): Promise<Map<string, MemberStatus>> {
    if (ids.length === 0) return new Map();
    const t = this.tables.teamMembers;
    const rows = await db
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), inArray(t.memberId, ids)));
    return new Map(rows.map((row) => [row.memberId, row]));
  }

  handlers(): Handlers {
    return {
      'crm.team.member.changed.v1': ({ tx }, e) =>
        this.upsert(tx, {
          tenantId: e.tenantid,
          memberId: e.data.member.id,
          active: e.data.member.active,
          version: e.data.member.version,
        }),
    };
  }
}

/** Asks the owner of the staff directory about a member the replica has not heard of yet. */
export interface MemberLookup {
  /** The member as the directory has them; null when the tenant has no such member. */
  find(principal: Principal, memberId: string): Promise<MemberStatus | null>;
}

/**
 * Reads `GET /crm/team/members/{id}` from the gateway with the caller's own token, behind the
 * kit's breaker, so a gateway outage fails fast with 503 rather than a wrong answer.
 */
export class GatewayMemberLookup implements MemberLookup {
  constructor(private readonly upstream: Upstream) {}

  static to(url: string, timeoutMs: number, metrics?: Metrics): GatewayMemberLookup {
    return new GatewayMemberLookup(
      new Upstream({ name: 'gateway', baseUrl: url, timeoutMs, metrics }),
    );
  }

  async find(principal: Principal, memberId: string): Promise<MemberStatus | null> {
    const res = await this.upstream.call({
      method: 'GET',
      path: `/crm/team/members/${encodeURIComponent(memberId)}`,
      headers: { authorization: `Bearer ${principal.token}`, accept: 'application/json' },
    });
    if (res.status === 404) return null;
    if (res.status !== 200) {
      throw new AppError('upstream_unavailable', `the staff directory answered ${res.status}`);
    }
    const parsed = TeamMember.safeParse(jsonOf(res));
    if (!parsed.success || parsed.data.id !== memberId) {
      throw new AppError(
        'upstream_unavailable',
        'the staff directory answered with an unexpected body',
      );
    }
    return {
      tenantId: principal.tenant,
      memberId,
      active: parsed.data.active,
      version: parsed.data.version,
    };
  }

  close(): Promise<void> {
    return this.upstream.close();
  }
}
