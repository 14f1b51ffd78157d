import type {
  Team,
  TeamMember,
  TeamMemberChangedPayload,
  TeamMemberSnapshot,
} from '@crm/contracts';
import { AppError, notFound, type Principal } from '@crm/service-kit';
import type { z } from 'zod';
import type { MemberWithTeams } from '../../db/members.repository.js';
import type { TeamWithCount } from '../../db/teams.repository.js';
import type { MemberRow } from '../../db/schema.js';

export type Actor = z.infer<typeof TeamMemberChangedPayload>['changed_by'];

export function actorOf(principal: Principal): Actor {
  return { type: 'staff', id: principal.sub, name: principal.name ?? null };
}

function roleOf(row: MemberRow): TeamMemberSnapshot['role'] {
  return row.role as TeamMemberSnapshot['role'];
}

export function toSnapshot({ row, teams }: MemberWithTeams): TeamMemberSnapshot {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: roleOf(row),
    teams,
    active: row.active,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toTeamMember(member: MemberWithTeams): TeamMember {
  return { ...toSnapshot(member), last_seen_at: member.row.lastSeenAt?.toISOString() ?? null };
}

export function toTeam({ row, memberCount }: TeamWithCount): Team {
  return {
    id: row.id,
    name: row.name,
    member_count: memberCount,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export const memberNotFound = (): AppError => notFound('Member');
export const teamNotFound = (): AppError => notFound('Team');

export function stale(what: string): AppError {
  return new AppError('precondition_failed', `The ${what} changed since you read it`);
}

export function duplicate(field: string, message: string): AppError {
  return new AppError('conflict', message, [{ field, code: 'duplicate', message }]);
}

/** Each id of `ids` the directory lacks, named by its place in the request. */
export function unknownIds(field: string, ids: string[], known: Set<string>, what: string) {
  const errors = ids.flatMap((id, i) =>
    known.has(id)
      ? []
      : [{ field: `${field}.${i}`, code: `unknown_${what}`, message: `No ${what} ${id}` }],
  );
  return errors.length > 0
    ? new AppError('validation_failed', `Unknown ${what}s in ${field}`, errors)
    : null;
}
