import { makeEvent, type TeamMemberChangedPayload } from '@crm/contracts';
import type { Executor } from '@crm/service-kit';
import type { z } from 'zod';
import type { MemberWithTeams } from '../../db/members.repository.js';
import type { MemberRow } from '../../db/schema.js';
import { toSnapshot, type Actor } from './member.js';
import type { TeamDeps } from './team-deps.js';

export const SOURCE = 'crm/gateway';

export type MemberChange = z.infer<typeof TeamMemberChangedPayload>['change'];

/**
 * The members as they now are, each published as `crm.team.member.changed.v1` in the
 * transaction that changed them; `sequence` is the member's version.
 */
export async function publishMembers(
  deps: Pick<TeamDeps, 'members' | 'outbox'>,
  tx: Executor,
  tenantId: string,
  rows: MemberRow[],
  change: MemberChange,
  actor: Actor,
): Promise<MemberWithTeams[]> {
  const loaded = await deps.members.withTeams(tx, tenantId, rows);
  await deps.outbox.append(
    tx,
    loaded.map((member) => ({
      event: makeEvent({
        type: 'crm.team.member.changed.v1',
        source: SOURCE,
        tenantId,
        sequence: member.row.version,
        data: { member: toSnapshot(member), change, changed_by: actor },
      }),
    })),
  );
  return loaded;
}
