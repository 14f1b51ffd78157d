import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, fieldErrorsOf } from './errors.js';

export type RequestPart = 'body' | 'query' | 'params' | 'headers';

/** Parses one part of a request with its contract; a failure names each bad field. */
export function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
  part: RequestPart,
): z.infer<S> {
  refuseNul(input, part);
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

/**
 * PostgreSQL cannot store U+0000 in text or jsonb, so a string (or key) carrying it is refused
 * as invalid input, naming the field the way every other validation error does.
 */
export function refuseNul(input: unknown, part: RequestPart): void {
  const path = pathToNul(input, part === 'body' ? [] : [part]);
  if (path === undefined) return;
  throw new AppError('validation_failed', `The request ${part} is not valid`, [
    {
      field: path.join('.') || '(body)',
      code: 'invalid_string',
      message: 'Must not contain the NUL character (U+0000)',
    },
  ]);
}

/** The body and query of every request, checked before any route sees them. */
export const refuseNulInRequest: RequestHandler = (req, _res, next) => {
  try {
    if (!Buffer.isBuffer(req.body)) refuseNul(req.body, 'body');
    refuseNul(req.query, 'query');
    next();
  } catch (err) {
    next(err);
  }
};

function pathToNul(value: unknown, path: string[], depth = 0): string[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  for (const [key, item] of entries) {
    if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '\\u0000')];
    const found = pathToNul(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}
