import type { NamedMember } from '@crm/service-kit';

function named(field: string, ids: string[] | undefined): NamedMember[] {
  return (ids ?? []).map((id, i) => ({ field: `${field}.${i}`, id }));
}

function owner(id: string | null | undefined): NamedMember[] {
  return typeof id === 'string' ? [{ field: 'owner_id', id }] : [];
}

/** The staff members a write assigns a customer to, each with the field that names them. */
export function assigneesOf(body: {
  owner_id?: string | null | undefined;
  collaborator_ids?: string[] | undefined;
}): NamedMember[] {
  return [...owner(body.owner_id), ...named('collaborator_ids', body.collaborator_ids)];
}

/** The same for a bulk assignment: collaborators taken off need not be members any more. */
export function bulkAssigneesOf(body: {
  owner_id?: string | null | undefined;
  add_collaborators?: string[] | undefined;
}): NamedMember[] {
  return [...owner(body.owner_id), ...named('add_collaborators', body.add_collaborators)];
}
