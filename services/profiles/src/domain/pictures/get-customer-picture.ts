import { notFound, scopeOf, type Principal } from '@crm/service-kit';
import type { PicturesDeps } from './pictures-deps.js';
import type { Thumbnail } from './thumbnail.js';

export async function getCustomerPicture(
  deps: PicturesDeps,
  principal: Principal,
  id: string,
): Promise<Thumbnail> {
  const [visible] = await deps.customers.repo.visible(deps.db, scopeOf(principal), [id]);
  if (!visible) throw notFound('Customer');
  const row = await deps.repo.find(deps.db, principal.tenant, id);
  if (!row) throw notFound('Picture');
  return {
    content: row.content,
    contentType: 'image/webp',
    width: row.width,
    height: row.height,
    sha256: row.sha256,
  };
}
