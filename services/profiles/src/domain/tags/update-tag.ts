import type { Tag, UpdateTagBody } from '@crm/contracts';
import { notFound, transaction, type Principal } from '@crm/service-kit';
import type { TagsRepository } from '../../db/tags.repository.js';
import { routeContext } from '../customers/customer-events.js';
import { changeCatalog } from '../customers/republish-customers.js';
import { duplicateName, lockTag, toTagDto } from './tag.js';
import type { TagsDeps } from './tags-deps.js';

/** A renamed tag gives each customer carrying it a new version and an update event. */
export async function updateTag(
  deps: TagsDeps,
  principal: Principal,
  id: string,
  body: UpdateTagBody,
  ifMatch: string | undefined,
): Promise<Tag> {
  const tenant = principal.tenant;
  return transaction(deps.db, async ({ db: tx }) => {
    const current = await lockTag(deps, tx, tenant, id, ifMatch);
    const renamed = body.name !== undefined && body.name !== current.name;
    if (renamed && body.name && (await deps.repo.nameTaken(tx, tenant, body.name, id))) {
      throw duplicateName(body.name);
    }
    const changes: Parameters<TagsRepository['update']>[3] = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.colour !== undefined) changes.colour = body.colour.toLowerCase();
    if (body.description !== undefined) changes.description = body.description;
    const row = await changeCatalog(
      deps.customers,
      tx,
      tenant,
      renamed ? await deps.repo.customersWith(tx, tenant, id) : [],
      routeContext(principal, 'updateTag'),
      async () => {
        const updated = await deps.repo.update(tx, tenant, id, changes);
        if (!updated) throw notFound('Tag');
        return updated;
      },
    );
    return toTagDto({
      row,
      customerCount: (await deps.repo.customersWith(tx, tenant, id)).length,
    });
  });
}
