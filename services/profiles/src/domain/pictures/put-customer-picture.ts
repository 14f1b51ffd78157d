import type { Customer, UploadPictureBody } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import { setCustomerPicture } from '../customers/set-customer-picture.js';
import type { PicturesDeps } from './pictures-deps.js';
import { thumbnailOf } from './thumbnail.js';

/** Stores the thumbnail of the upload, never the upload itself. */
export async function putCustomerPicture(
  deps: PicturesDeps,
  principal: Principal,
  id: string,
  body: UploadPictureBody,
  ifMatch: string | undefined,
): Promise<Customer> {
  const thumbnail = await thumbnailOf(Buffer.from(body.content_base64, 'base64'));
  return setCustomerPicture(
    deps.customers,
    principal,
    id,
    ifMatch,
    'putCustomerPicture',
    async (tx) => {
      await deps.repo.put(tx, { tenantId: principal.tenant, customerId: id, ...thumbnail });
      return `/crm/customers/${id}/picture`;
    },
  );
}
