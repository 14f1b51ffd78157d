import { newId, type CreateTagBody, type Tag } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import { duplicateName, toTagDto } from './tag.js';
import type { TagsDeps } from './tags-deps.js';

export async function createTag(
  deps: TagsDeps,
  principal: Principal,
  body: CreateTagBody,
): Promise<Tag> {
  const row = await deps.repo.insert(deps.db, {
    tenantId: principal.tenant,
    id: newId(),
    name: body.name,
    colour: body.colour.toLowerCase(),
    description: body.description ?? null,
  });
  if (!row) throw duplicateName(body.name);
  return toTagDto({ row, customerCount: 0 });
}
