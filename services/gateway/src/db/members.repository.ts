import type { TeamRef } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { members, teamMemberships, teams, type MemberRow } from './schema.js';

export interface MemberWithTeams {
  row: MemberRow;
  teams: TeamRef[];
}

export interface MemberFilter {
  role?: string | undefined;
  active?: boolean | undefined;
  teamId?: string | undefined;
  /** Part of the name or email, case-insensitive. */
  q?: string | undefined;
  after?: { name: string; id: string } | undefined;
  limit: number;
}

export type MemberChanges = Partial<
  Pick<MemberRow, 'name' | 'email' | 'role' | 'active' | 'claims' | 'lastSeenAt'>
>;

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class MembersRepository {
  /**
   * Serialises the directory writes of a tenant, so the checks for a free email or team name
   * and the writes after them cannot interleave; reads and last_seen_at take no lock.
   */
  async lockTenant(db: Executor, tenantId: string): Promise<void> {
    await db.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`gateway:directory:${tenantId}`}, 0))`,
    );
  }

  async find(db: Executor, tenantId: string, id: string): Promise<MemberRow | null> {
    const [row] = await db
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, id)));
    return row ?? null;
  }

  async list(db: Executor, tenantId: string, filter: MemberFilter): Promise<MemberRow[]> {
    const conditions: SQL[] = [eq(members.tenantId, tenantId)];
    if (filter.role !== undefined) conditions.push(eq(members.role, filter.role));
    if (filter.active !== undefined) conditions.push(eq(members.active, filter.active));
    if (filter.teamId !== undefined) {
      conditions.push(
        sql`EXISTS (SELECT 1 FROM ${teamMemberships} WHERE ${teamMemberships.tenantId} = ${members.tenantId} AND ${teamMemberships.memberId} = ${members.id} AND ${teamMemberships.teamId} = ${filter.teamId})`,
      );
    }
    if (filter.q !== undefined) {
      const pattern = likePattern(filter.q);
      conditions.push(
        sql`(lower(${members.name}) LIKE ${pattern} OR lower(${members.email}) LIKE ${pattern})`,
      );
    }
    if (filter.after !== undefined) {
      conditions.push(
        sql`(lower(${members.name}), ${members.id}) > (${filter.after.name}, ${filter.after.id})`,
      );
    }
    return db
      .select()
      .from(members)
      .where(and(...conditions))
      .orderBy(asc(sql`lower(${members.name})`), asc(members.id))
      .limit(filter.limit);
  }

  /** The rows with the teams of each, by team name. */
  async withTeams(db: Executor, tenantId: string, rows: MemberRow[]): Promise<MemberWithTeams[]> {
    if (rows.length === 0) return [];
    const found = await db
      .select({ memberId: teamMemberships.memberId, id: teams.id, name: teams.name })
      .from(teamMemberships)
      .innerJoin(
        teams,
        and(eq(teams.tenantId, teamMemberships.tenantId), eq(teams.id, teamMemberships.teamId)),
      )
      .where(
        and(
          eq(teamMemberships.tenantId, tenantId),
          inArray(
            teamMemberships.memberId,
            rows.map((r) => r.id),
          ),
        ),
      )
      .orderBy(asc(sql`lower(${teams.name})`), asc(teams.id));
    const byMember = new Map<string, TeamRef[]>();
    for (const { memberId, id, name } of found) {
      byMember.set(memberId, [...(byMember.get(memberId) ?? []), { id, name }]);
    }
    return rows.map((row) => ({ row, teams: byMember.get(row.id) ?? [] }));
  }

  /** Ids of `ids` that are members of the tenant. */
  async existing(db: Executor, tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), inArray(members.id, ids)));
    return new Set(rows.map((r) => r.id));
  }

  async emailTaken(
    db: Executor,
    tenantId: string,
    email: string,
    exceptId?: string,
  ): Promise<boolean> {
    const [row] = await db
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), sql`lower(${members.email}) = ${email}`));
    return row !== undefined && row.id !== exceptId;
  }

  async insert(db: Executor, row: typeof members.$inferInsert): Promise<MemberRow> {
    const [created] = await db.insert(members).values(row).returning();
    if (!created) throw new Error('insert returned no member');
    return created;
  }

  /** Applies the changes as a new version of the member. */
  async update(
    db: Executor,
    tenantId: string,
    id: string,
    changes: MemberChanges,
    at: Date,
  ): Promise<MemberRow | null> {
    const [row] = await db
      .update(members)
      .set({ ...changes, version: sql`${members.version} + 1`, updatedAt: at })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, id)))
      .returning();
    return row ?? null;
  }

  /** A new version of each member, whose teams changed around them. */
  async bump(db: Executor, tenantId: string, ids: string[], at: Date): Promise<MemberRow[]> {
    if (ids.length === 0) return [];
    return db
      .update(members)
      .set({ version: sql`${members.version} + 1`, updatedAt: at })
      .where(and(eq(members.tenantId, tenantId), inArray(members.id, ids)))
      .returning();
  }

  /** Records the claims seen without a new version (nothing a reader sees changed). */
  async seen(
    db: Executor,
    tenantId: string,
    id: string,
    at: Date,
    claims?: MemberRow['claims'],
  ): Promise<void> {
    await db
      .update(members)
      .set(claims === undefined ? { lastSeenAt: at } : { lastSeenAt: at, claims })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, id)));
  }
}
