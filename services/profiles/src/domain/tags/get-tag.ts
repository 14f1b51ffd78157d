import type { Tag } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import { toTagDto } from './tag.js';
import type { TagsDeps } from './tags-deps.js';

export async function getTag(deps: TagsDeps, principal: Principal, id: string): Promise<Tag> {
  const found = await deps.repo.find(deps.db, principal.tenant, id);
  if (!found) throw notFound('Tag');
  return toTagDto(found);
}
