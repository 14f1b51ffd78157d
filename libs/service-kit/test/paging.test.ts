import { statusOf } from '@crm/contracts';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AppError, toProblem } from '../src/errors.js';
import { CursorTime, encodeCursor, readCursor } from '../src/paging.js';

const AtAndId = z.tuple([CursorTime, z.uuid()]);
const id = '0190f5a4-7b7e-7cc3-8c3a-2b1f4f0c9d11';
const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

function rejection(raw: string): AppError {
  try {
    readCursor(AtAndId, raw);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`${raw} was read as a cursor`);
}

describe('readCursor', () => {
  it('reads back what encodeCursor wrote, through the payload schema', () => {
    const at = new Date('2026-03-01T10:20:30.456Z');
    const cursor = encodeCursor([at.toISOString(), id]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(readCursor(AtAndId, cursor)).toEqual([at, id]);
    expect(readCursor(z.tuple([z.number()]), encodeCursor([42]))).toEqual([42]);
    expect(readCursor(z.object({ after: z.string() }), encodeCursor({ after: 'x' }))).toEqual({
      after: 'x',
    });
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['padded base64', `${Buffer.from('[1]').toString('base64')}=`],
    ['empty', ''],
    ['not JSON', base64url('{"at": ')],
    ['the wrong shape', encodeCursor({ at: '2026-03-01T10:20:30.456Z', id })],
    ['too long a tuple', encodeCursor(['2026-03-01T10:20:30.456Z', id, 'more'])],
    ['a number for the time', encodeCursor([1700000000000, id])],
    ['a time that does not parse', encodeCursor(['2026-13-45T99:99:99Z', id])],
    ['a time without its offset', encodeCursor(['2026-03-01T10:20:30', id])],
    ['an id that is not a uuid', encodeCursor(['2026-03-01T10:20:30.456Z', "1' OR '1'='1"])],
  ])('answers 400 invalid_cursor for %s', (_, raw) => {
    const err = rejection(raw);
    expect(err.code).toBe('invalid_cursor');
    expect(statusOf(err.code)).toBe(400);
    expect(toProblem(err).errors).toEqual([
      expect.objectContaining({ field: 'query.cursor', code: 'invalid_cursor' }),
    ]);
  });
});
