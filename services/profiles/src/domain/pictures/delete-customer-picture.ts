import { notFound, type Principal } from '@crm/service-kit';
import { setCustomerPicture } from '../customers/set-customer-picture.js';
import type { PicturesDeps } from './pictures-deps.js';

export async function deleteCustomerPicture(
  deps: PicturesDeps,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await setCustomerPicture(
    deps.customers,
    principal,
    id,
    ifMatch,
    'deleteCustomerPicture',
    async (tx) => {
      if (!(await deps.repo.delete(tx, principal.tenant, id))) throw notFound('Picture');
      return null;
    },
  );
}
