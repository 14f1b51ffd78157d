import { TeamId, normaliseEmail } from '@crm/contracts';
import { transaction, type Executor, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import type { MemberChanges } from '../../db/members.repository.js';
import type { AppliedClaims, MemberRow } from '../../db/schema.js';
import { publishMembers } from './member-events.js';
import { actorOf } from './member.js';
import type { TeamDeps } from './team-deps.js';

const Email = z.email().max(320);

/** What a staff token says about its holder, as the directory keeps it. */
export function claimsOf(principal: Principal): AppliedClaims {
  const name = principal.name?.trim().slice(0, 200) ?? '';
  const email = principal.email?.trim() ?? '';
  return {
    name: name === '' ? null : name,
    email: Email.safeParse(email).success ? (normaliseEmail(email) ?? null) : null,
    role: principal.role,
    // A team id the directory cannot hold is left out rather than refusing the caller.
    teams: [...new Set(principal.teams.filter((t) => TeamId.safeParse(t).success))].sort(),
  };
}

function sameClaims(a: AppliedClaims | null, b: AppliedClaims): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}

/**
 * A staff member's request through the gateway: the first one adds them to the directory
 * from the token's claims; later ones note when they were last seen. A claim that changed
 * since it was last applied is applied again, so an admin's edit stands until the identity
 * provider says something new. Returns whether the member may pass.
 */
export async function registerMember(
  deps: TeamDeps,
  principal: Principal,
  claims: AppliedClaims,
): Promise<{ active: boolean }> {
  const tenant = principal.tenant;
  const id = principal.sub;
  const known = await deps.members.find(deps.db, tenant, id);
  // A deactivated member changes nothing, not even when they were last seen.
  if (known && !known.active) return { active: false };
  if (known && sameClaims(known.claims, claims)) {
    await deps.members.seen(deps.db, tenant, id, deps.clock());
    return { active: true };
  }
  return transaction(deps.db, async ({ db: tx }) => {
    await deps.members.lockTenant(tx, tenant);
    const row = await deps.members.find(tx, tenant, id);
    if (!row) {
      await join(deps, tx, principal, claims);
      return { active: true };
    }
    if (!row.active) return { active: false };
    await applyClaims(deps, tx, principal, row, claims);
    return { active: true };
  });
}

async function join(
  deps: TeamDeps,
  tx: Executor,
  principal: Principal,
  claims: AppliedClaims,
): Promise<void> {
  const tenant = principal.tenant;
  const email =
    claims.email !== null && !(await deps.members.emailTaken(tx, tenant, claims.email))
      ? claims.email
      : null;
  const now = deps.clock();
  const row = await deps.members.insert(tx, {
    tenantId: tenant,
    id: principal.sub,
    name: claims.name ?? claims.email ?? principal.sub.slice(0, 200),
    email,
    role: claims.role,
    claims,
    createdAt: now,
    updatedAt: now,
    lastSeenAt: now,
  });
  await deps.teams.ensure(tx, tenant, claims.teams);
  await deps.teams.setTeamsOf(tx, tenant, principal.sub, claims.teams);
  await publishMembers(deps, tx, tenant, [row], 'registered', actorOf(principal));
}

async function applyClaims(
  deps: TeamDeps,
  tx: Executor,
  principal: Principal,
  row: MemberRow,
  claims: AppliedClaims,
): Promise<void> {
  const tenant = principal.tenant;
  const before = row.claims;
  const teamsNow = await deps.teams.teamsOf(tx, tenant, row.id);
  const changes: MemberChanges = {};
  let teams: string[] | undefined;
  if (before === null) {
    // Added by an admin before their first sign-in: the claims only fill what is empty.
    if (row.email === null && claims.email !== null) changes.email = claims.email;
    if (teamsNow.length === 0 && claims.teams.length > 0) teams = claims.teams;
  } else {
    if (claims.name !== null && claims.name !== before.name && claims.name !== row.name) {
      changes.name = claims.name;
    }
    if (claims.email !== null && claims.email !== before.email && claims.email !== row.email) {
      changes.email = claims.email;
    }
    if (claims.role !== before.role && claims.role !== row.role) changes.role = claims.role;
    if (!sameList(claims.teams, before.teams) && !sameList(claims.teams, teamsNow)) {
      teams = claims.teams;
    }
  }
  if (
    changes.email !== undefined &&
    changes.email !== null &&
    (await deps.members.emailTaken(tx, tenant, changes.email, row.id))
  ) {
    delete changes.email;
  }
  const now = deps.clock();
  if (Object.keys(changes).length === 0 && teams === undefined) {
    await deps.members.seen(tx, tenant, row.id, now, claims);
    return;
  }
  if (teams !== undefined) {
    await deps.teams.ensure(tx, tenant, teams);
    await deps.teams.setTeamsOf(tx, tenant, row.id, teams);
  }
  const changed = await deps.members.update(
    tx,
    tenant,
    row.id,
    { ...changes, claims, lastSeenAt: now },
    now,
  );
  if (changed) await publishMembers(deps, tx, tenant, [changed], 'registered', actorOf(principal));
}
