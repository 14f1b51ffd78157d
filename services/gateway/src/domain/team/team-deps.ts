import type { Db, Outbox } from '@crm/service-kit';
import type { MembersRepository } from '../../db/members.repository.js';
import type { TeamsRepository } from '../../db/teams.repository.js';
import type { SeenMembers } from './seen-members.js';

/** What every use case of the staff directory works with, built once in service.ts. */
export interface TeamDeps {
  db: Db;
  outbox: Outbox;
  members: MembersRepository;
  teams: TeamsRepository;
  /** What this replica last read of each member; told at once of an admin's change. */
  seen: SeenMembers;
  clock: () => Date;
}
