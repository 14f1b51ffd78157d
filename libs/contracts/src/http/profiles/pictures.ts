import { z } from 'zod';

/** Decoded bytes of an uploaded picture; the base64 form fits the 256 KB JSON body limit. */
export const MAX_PICTURE_BYTES = 180_000;
export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
/** Longest side of the stored thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 256;

export const UploadPictureBody = z
  .object({
    content_base64: z
      .string()
      .max(Math.ceil(MAX_PICTURE_BYTES / 3) * 4 + 4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Standard base64 without line breaks')
      .describe(
        `The image file, base64-encoded: PNG, JPEG or WebP (recognised from its bytes, not a declared type), at most ${MAX_PICTURE_BYTES} bytes`,
      ),
  })
  .strict()
  .meta({ id: 'UploadPicture' });
export type UploadPictureBody = z.infer<typeof UploadPictureBody>;
