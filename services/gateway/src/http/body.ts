import type { Request } from 'express';
import { AppError } from '@crm/service-kit';

/**
 * The request body exactly as sent (still compressed if it was), or undefined when there
 * is none. Read by hand rather than by a body parser, which would inflate it.
 */
export function readRawBody(req: Request, limit: number): Promise<Buffer | undefined> {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === undefined || declared === '0')) return Promise.resolve(undefined);
  const tooLarge = new AppError(
    'payload_too_large',
    `The request body is larger than ${limit} bytes`,
  );
  if (declared !== undefined && Number(declared) > limit) {
    // Drained, not destroyed: destroying the request would take the socket and the 413 with it.
    req.resume();
    return Promise.reject(tooLarge);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(new AppError('bad_request', 'The request body was not received in full'));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
