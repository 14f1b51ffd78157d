import type { ListTagsQuery, Page, Tag } from '@crm/contracts';
import { keysetPage, type Principal } from '@crm/service-kit';
import { z } from 'zod';
import { toTagDto } from './tag.js';
import type { TagsDeps } from './tags-deps.js';

/** Where the next page starts: the last tag's lower-case name and id. */
const TagCursor = z.tuple([z.string(), z.uuid()]).transform(([name, id]) => ({ name, id }));

export async function listTags(
  deps: TagsDeps,
  principal: Principal,
  query: ListTagsQuery,
): Promise<Page<Tag>> {
  const { rows, next_cursor } = await keysetPage(query, {
    cursor: TagCursor,
    fetch: (after, limit) =>
      deps.repo.list(deps.db, principal.tenant, {
        prefix: query.q,
        ...(after ? { after } : {}),
        limit,
      }),
    cursorOf: (last) => [last.row.name.toLowerCase(), last.row.id],
  });
  return { data: rows.map(toTagDto), next_cursor };
}
