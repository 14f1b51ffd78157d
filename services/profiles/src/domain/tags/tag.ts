import type { Tag } from '@crm/contracts';
import { AppError, matchesIfMatch, notFound, type Executor } from '@crm/service-kit';
import type { TagWithCount } from '../../db/tags.repository.js';
import type { TagRow } from '../../db/schema.js';
import type { TagsDeps } from './tags-deps.js';

export function toTagDto({ row, customerCount }: TagWithCount): Tag {
  return {
    id: row.id,
    name: row.name,
    colour: row.colour,
    description: row.description,
    customer_count: customerCount,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function duplicateName(name: string): AppError {
  return new AppError('conflict', `A tag named "${name}" exists`, [
    { field: 'name', code: 'duplicate', message: 'Tag names are unique within the tenant' },
  ]);
}

/** The tag, locked for the rest of the transaction, as long as it is the version the caller read. */
export async function lockTag(
  deps: TagsDeps,
  tx: Executor,
  tenantId: string,
  id: string,
  ifMatch: string | undefined,
): Promise<TagRow> {
  const current = await deps.repo.findForUpdate(tx, tenantId, id);
  if (!current) throw notFound('Tag');
  if (!matchesIfMatch(ifMatch, current.version)) {
    throw new AppError('precondition_failed', 'The tag changed since you read it');
  }
  return current;
}
