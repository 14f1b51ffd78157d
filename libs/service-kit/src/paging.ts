import { z } from 'zod';
import { AppError } from './errors.js';

/**
 * Cursors are opaque to callers: base64url JSON of where the next page starts (usually the
 * last row's sort key). `encodeCursor` writes one; `readCursor` reads it back through the
 * schema of its payload, so a list reads a cursor in one line and never sees a malformed one.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * One page of a keyset list. `fetch` reads `take` rows (one more than `limit`) from where the
 * cursor points; the page is the first `limit` of them and carries a next cursor, made by
 * `cursorOf` from its last row, only when that extra row came.
 */
export async function keysetPage<R>(
  limit: number,
  fetch: (take: number) => Promise<R[]>,
  cursorOf: (last: R) => unknown,
): Promise<{ rows: R[]; next_cursor: string | null }> {
  const fetched = await fetch(limit + 1);
  const rows = fetched.slice(0, limit);
  const last = rows.at(-1);
  return {
    rows,
    next_cursor: fetched.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/** The one answer to a cursor this service did not issue for this query: 400 `invalid_cursor`. */
export function invalidCursor(): AppError {
  return new AppError('invalid_cursor', 'The cursor does not belong to this query', [
    { field: 'query.cursor', code: 'invalid_cursor', message: 'Start again without a cursor' },
  ]);
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The payload of `raw` as `schema` reads it. Anything else — not base64url, not JSON, not
 * the payload's shape, a time that does not parse — is a bad or forged cursor and answers
 * 400 `invalid_cursor`.
 */
export function readCursor<S extends z.ZodType>(schema: S, raw: string): z.output<S> {
  if (raw.length === 0 || !BASE64URL.test(raw)) throw invalidCursor();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

/** A cursor's point in time: an ISO 8601 timestamp with its offset, read as a `Date`. */
export const CursorTime = z.iso
  .datetime({ offset: true })
  .transform((at) => new Date(at))
  .refine((at) => !Number.isNaN(at.getTime()));
