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

/** How a keyset list pages: where a page starts, how its rows are read, where the next starts. */
export interface Keyset<S extends z.ZodType, R> {
  /** The payload of the list's cursors. */
  cursor: S;
  /** Reads `take` rows from the position a cursor names (from the start without one). */
  fetch: (after: z.output<S> | undefined, take: number) => Promise<R[]>;
  /** The payload of the cursor of the page after the one ending with `last`. */
  cursorOf: (last: R) => unknown;
}

/**
 * One page of a keyset list: reads the query's cursor (400 `invalid_cursor` when it is not
 * this list's), fetches one row more than the limit from there and keeps `limit` rows; the
 * next cursor, of the last row kept, comes only when that extra row did.
 */
export async function keysetPage<S extends z.ZodType, R>(
  query: { limit: number; cursor?: string | undefined },
  keyset: Keyset<S, R>,
): Promise<{ rows: R[]; next_cursor: string | null }> {
  const after = query.cursor ? readCursor(keyset.cursor, query.cursor) : undefined;
  const fetched = await keyset.fetch(after, query.limit + 1);
  const rows = fetched.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    rows,
    next_cursor:
      fetched.length > query.limit && last !== undefined
        ? encodeCursor(keyset.cursorOf(last))
        : null,
  };
}
