import type { Executor } from '@crm/service-kit';
import { and, asc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { teamMemberships, teams, type TeamRow } from './schema.js';

export interface TeamWithCount {
  row: TeamRow;
  memberCount: number;
}

const memberCount = sql<number>`(SELECT count(*)::int FROM ${teamMemberships} WHERE ${teamMemberships.tenantId} = ${teams.tenantId} AND ${teamMemberships.teamId} = ${teams.id})`;

export class TeamsRepository {
  async list(
    db: Executor,
    tenantId: string,
    opts: { after?: { name: string; id: string } | undefined; limit: number },
  ): Promise<TeamWithCount[]> {
    const conditions: SQL[] = [eq(teams.tenantId, tenantId)];
    if (opts.after) {
      conditions.push(
        sql`(lower(${teams.name}), ${teams.id}) > (${opts.after.name}, ${opts.after.id})`,
      );
    }
    return db
      .select({ row: teams, memberCount })
      .from(teams)
      .where(and(...conditions))
      .orderBy(asc(sql`lower(${teams.name})`), asc(teams.id))
      .limit(opts.limit);
  }

  async find(db: Executor, tenantId: string, id: string): Promise<TeamWithCount | null> {
    const [found] = await db
      .select({ row: teams, memberCount })
      .from(teams)
      .where(and(eq(teams.tenantId, tenantId), eq(teams.id, id)));
    return found ?? null;
  }

  /** Ids of `ids` that are teams of the tenant. */
  async existing(db: Executor, tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.tenantId, tenantId), inArray(teams.id, ids)));
    return new Set(rows.map((r) => r.id));
  }

  async nameTaken(db: Executor, tenantId: string, name: string, exceptId?: string) {
    const [row] = await db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.tenantId, tenantId), sql`lower(${teams.name}) = ${name.toLowerCase()}`))
      .limit(1);
    return row !== undefined && row.id !== exceptId;
  }

  /** Null when a team with this id exists. */
  async insert(db: Executor, row: typeof teams.$inferInsert): Promise<TeamRow | null> {
    const [created] = await db.insert(teams).values(row).onConflictDoNothing().returning();
    return created ?? null;
  }

  /** Teams named in tokens that the directory does not have yet, named by their id. */
  async ensure(db: Executor, tenantId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await db
      .insert(teams)
      .values(ids.map((id) => ({ tenantId, id, name: id })))
      .onConflictDoNothing();
  }

  async update(
    db: Executor,
    tenantId: string,
    id: string,
    changes: Partial<Pick<TeamRow, 'name'>>,
    at: Date,
  ): Promise<TeamRow | null> {
    const [row] = await db
      .update(teams)
      .set({ ...changes, version: sql`${teams.version} + 1`, updatedAt: at })
      .where(and(eq(teams.tenantId, tenantId), eq(teams.id, id)))
      .returning();
    return row ?? null;
  }

  async delete(db: Executor, tenantId: string, id: string): Promise<void> {
    await db.delete(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, id)));
  }

  async membersOf(db: Executor, tenantId: string, teamId: string): Promise<string[]> {
    const rows = await db
      .select({ id: teamMemberships.memberId })
      .from(teamMemberships)
      .where(and(eq(teamMemberships.tenantId, tenantId), eq(teamMemberships.teamId, teamId)));
    return rows.map((r) => r.id);
  }

  async teamsOf(db: Executor, tenantId: string, memberId: string): Promise<string[]> {
    const rows = await db
      .select({ id: teamMemberships.teamId })
      .from(teamMemberships)
      .where(and(eq(teamMemberships.tenantId, tenantId), eq(teamMemberships.memberId, memberId)));
    return rows.map((r) => r.id);
  }

  /** Makes `memberIds` the whole membership of the team. */
  async setMembers(db: Executor, tenantId: string, teamId: string, memberIds: string[]) {
    const team = and(eq(teamMemberships.tenantId, tenantId), eq(teamMemberships.teamId, teamId));
    await db
      .delete(teamMemberships)
      .where(
        memberIds.length > 0 ? and(team, notInArray(teamMemberships.memberId, memberIds)) : team,
      );
    if (memberIds.length === 0) return;
    await db
      .insert(teamMemberships)
      .values(memberIds.map((memberId) => ({ tenantId, teamId, memberId })))
      .onConflictDoNothing();
  }

  /** Makes `teamIds` the whole list of the member's teams. */
  async setTeamsOf(db: Executor, tenantId: string, memberId: string, teamIds: string[]) {
    const member = and(
      eq(teamMemberships.tenantId, tenantId),
      eq(teamMemberships.memberId, memberId),
    );
    await db
      .delete(teamMemberships)
      .where(
        teamIds.length > 0 ? and(member, notInArray(teamMemberships.teamId, teamIds)) : member,
      );
    if (teamIds.length === 0) return;
    await db
      .insert(teamMemberships)
      .values(teamIds.map((teamId) => ({ tenantId, teamId, memberId })))
      .onConflictDoNothing();
  }
}
