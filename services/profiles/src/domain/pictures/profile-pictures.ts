import { createHash } from 'node:crypto';
import {
  MAX_PICTURE_BYTES,
  PICTURE_TYPES,
  THUMBNAIL_SIZE,
  type Customer,
  type UploadPictureBody,
} from '@crm/contracts';
import { AppError, notFound, type Db, type Principal, scopeOf } from '@crm/service-kit';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { PicturesRepository } from '../../db/pictures.repository.js';
import type { CustomersDeps } from '../customers/customers-deps.js';
import { setCustomerPicture } from '../customers/set-customer-picture.js';

/** Images beyond this many pixels are refused before decoding (decompression bombs). */
const MAX_INPUT_PIXELS = 40_000_000;

export interface Thumbnail {
  content: Buffer;
  contentType: 'image/webp';
  width: number;
  height: number;
  sha256: string;
}

/** Sniffs the bytes (never trusting a declared type) and renders the stored thumbnail. */
export async function thumbnailOf(bytes: Buffer): Promise<Thumbnail> {
  if (bytes.length > MAX_PICTURE_BYTES) {
    throw new AppError(
      'payload_too_large',
      `A picture may have at most ${MAX_PICTURE_BYTES} bytes`,
    );
  }
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !(PICTURE_TYPES as readonly string[]).includes(type.mime)) {
    throw new AppError(
      'unsupported_media_type',
      `Send a PNG, JPEG or WebP image${type ? `, not ${type.mime}` : ''}`,
    );
  }
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: MAX_INPUT_PIXELS,
      failOn: 'error',
    })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return {
      content: data,
      contentType: 'image/webp',
      width: info.width,
      height: info.height,
      sha256: createHash('sha256').update(data).digest('hex'),
    };
  } catch {
    throw new AppError('unsupported_media_type', `The ${type.ext} image could not be decoded`);
  }
}

export class ProfilePictures {
  constructor(
    private readonly db: Db,
    private readonly repo: PicturesRepository,
    private readonly customers: CustomersRepository,
    private readonly customerDeps: CustomersDeps,
  ) {}

  async upload(
    principal: Principal,
    id: string,
    body: UploadPictureBody,
    ifMatch: string | undefined,
  ): Promise<Customer> {
    const thumbnail = await thumbnailOf(Buffer.from(body.content_base64, 'base64'));
    return setCustomerPicture(
      this.customerDeps,
      principal,
      id,
      ifMatch,
      'putCustomerPicture',
      async (tx) => {
        await this.repo.put(tx, { tenantId: principal.tenant, customerId: id, ...thumbnail });
        return `/crm/customers/${id}/picture`;
      },
    );
  }

  async remove(principal: Principal, id: string, ifMatch: string | undefined): Promise<void> {
    await setCustomerPicture(
      this.customerDeps,
      principal,
      id,
      ifMatch,
      'deleteCustomerPicture',
      async (tx) => {
        if (!(await this.repo.delete(tx, principal.tenant, id))) throw notFound('Picture');
        return null;
      },
    );
  }

  async get(principal: Principal, id: string): Promise<Thumbnail> {
    const [visible] = await this.customers.visible(this.db, scopeOf(principal), [id]);
    if (!visible) throw notFound('Customer');
    const row = await this.repo.find(this.db, principal.tenant, id);
    if (!row) throw notFound('Picture');
    return {
      content: row.content,
      contentType: 'image/webp',
      width: row.width,
      height: row.height,
      sha256: row.sha256,
    };
  }
}
