import { createHash } from 'node:crypto';
import { MAX_PICTURE_BYTES, PICTURE_TYPES, THUMBNAIL_SIZE } from '@crm/contracts';
import { AppError } from '@crm/service-kit';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

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
