import type { z } from 'zod';
import { AppError, fieldErrorsOf } from './errors.js';

export type RequestPart = 'body' | 'query' | 'params' | 'headers';

/** Parses one part of a request with its contract; a failure names each bad field. */
export function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
  part: RequestPart,
): z.infer<S> {
  const result = schema.safeParse(input ?? (part === 'body' ? undefined : {}));
  if (!result.success) {
    const prefix = part === 'body' ? undefined : part;
    throw new AppError(
      'validation_failed',
      `The request ${part} is not valid`,
      fieldErrorsOf(result.error, prefix),
    );
  }
  return result.data;
}
