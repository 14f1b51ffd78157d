import { type BulkAssignBody, type BulkResult } from '@crm/contracts';
import { type Principal } from '@crm/service-kit';
import type { NewCustomerRow } from '../../db/schema.js';
import { bulkSet } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';
import { bulkAssigneesOf } from './assignees.js';

export async function bulkAssignCustomers(
  deps: CustomersDeps,
  principal: Principal,
  body: BulkAssignBody,
): Promise<BulkResult> {
  await deps.members.requireActive(deps.db, principal, bulkAssigneesOf(body));
  const changes: Partial<NewCustomerRow> = {};
  if (body.owner_id !== undefined) changes.ownerId = body.owner_id;
  if (body.team_id !== undefined) changes.teamId = body.team_id;
  return bulkSet(deps, principal, body, changes, 'bulkAssign', {
    add: body.add_collaborators ?? [],
    remove: body.remove_collaborators ?? [],
  });
}
