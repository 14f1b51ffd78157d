import type { FieldError } from '@crm/contracts';
import type { Principal } from '../auth.js';
import type { Handlers } from '../consumer.js';
import type { Executor } from '../db.js';
import { AppError } from '../errors.js';
import { MemberReplica, type MemberLookup } from './replica.js';
import type { MemberTables } from './tables.js';

/** A staff member a request names, and the field that names them (`owner_id`, `collaborator_ids.2`). */
export interface NamedMember {
  field: string;
  id: string;
}

/**
 * A service's view of the staff directory, built by the kit from `members: true`: the local
 * replica, and the gateway asked about members the replica has not heard of yet.
 */
export class MemberDirectory {
  readonly replica: MemberReplica;

  constructor(
    tables: MemberTables,
    private readonly lookup: MemberLookup | null,
  ) {
    this.replica = new MemberReplica(tables);
  }

  /** Whether assignments are checked at all: only where the gateway can be asked. */
  get checks(): boolean {
    return this.lookup !== null;
  }

  /**
   * Refuses with 422 (`unknown_member`, naming each field) when a named member is not an
   * active member of the caller's tenant. A member the replica has not heard of yet (added or
   * registered a moment ago) is looked up at the gateway with the caller's token and
   * remembered; when the gateway cannot be asked the answer is 503, never a wrong 422.
   */
  async requireActive(db: Executor, principal: Principal, named: NamedMember[]): Promise<void> {
    if (this.lookup === null || named.length === 0) return;
    const tenant = principal.tenant;
    const ids = [...new Set(named.map((n) => n.id))];
    const known = await this.replica.statusOf(db, tenant, ids);
    for (const id of ids.filter((i) => !known.has(i))) {
      const found = await this.lookup.find(principal, id);
      if (found === null) continue;
      await this.replica.upsert(db, found);
      known.set(id, found);
    }
    const errors: FieldError[] = named.flatMap(({ field, id }) => {
      const member = known.get(id);
      if (member?.active === true) return [];
      return [
        {
          field,
          code: 'unknown_member',
          message: member
            ? `${id} is deactivated in the staff directory`
            : `No member ${id} in the staff directory`,
        },
      ];
    });
    if (errors.length > 0) {
      throw new AppError(
        'validation_failed',
        'Customers are assigned to active members of the staff directory',
        errors,
      );
    }
  }

  handlers(): Handlers {
    return this.replica.handlers();
  }
}
