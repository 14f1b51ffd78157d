import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import type { Db } from './db.js';
import { AppError } from './errors.js';
import type { KitTables } from './tables.js';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** Marks a key whose first request is still running. */
const IN_PROGRESS = 0;
/** A reservation this old belongs to a request that died with its process. */
const ABANDONED_AFTER_MS = 60_000;

/**
 * Honours `Idempotency-Key` on POST: the first response (2xx or 4xx) is stored per tenant
 * and key and replayed for a retry with the same body; another body under the same key is
 * 409. The key is reserved before the handler runs, so a retry racing the first request is
 * told to wait (409) instead of running the handler a second time.
 */
export function idempotency(db: Db, tables: KitTables): RequestHandler {
  const t = tables.idempotencyKeys;
  return (req, res, next) => {
    const key = req.get('idempotency-key');
    const principal = req.principal;
    if (req.method !== 'POST' || !key || !principal) {
      next();
      return;
    }
    if (!KEY.test(key)) {
      next(
        new AppError('validation_failed', 'Idempotency-Key must be 8-128 url-safe characters', [
          { field: 'headers.idempotency-key', code: 'invalid_format', message: 'Invalid key' },
        ]),
      );
      return;
    }
    const body: unknown = req.body;
    // An upload is hashed as the bytes it is.
    const hash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n`)
      .update(Buffer.isBuffer(body) ? body : JSON.stringify(body ?? null))
      .digest('hex');
    const tenantId = principal.tenant;
    const thisKey = and(eq(t.tenantId, tenantId), eq(t.key, key));

    const reserve = async (): Promise<boolean> => {
      const inserted = await db
        .insert(t)
        .values({
          tenantId,
          key,
          method: req.method,
          path: req.originalUrl,
          requestHash: hash,
          status: IN_PROGRESS,
          headers: {},
          body: '',
        })
        .onConflictDoNothing()
        .returning({ key: t.key });
      return inserted.length > 0;
    };

    /** Stores the response before it leaves, so a retry that follows it finds it. */
    const recordResponse = () => {
      let settled = false;
      const release = () => {
        if (settled) return;
        settled = true;
        void db
          .delete(t)
          .where(and(thisKey, eq(t.status, IN_PROGRESS)))
          .catch(() => undefined);
      };
      // A response that is not stored (5xx, no body, client gone) frees the key for a retry.
      res.on('close', release);
      const send = res.send.bind(res);
      res.send = (body?: unknown) => {
        if (settled || res.statusCode >= 500 || typeof body !== 'string') {
          release();
          return send(body);
        }
        settled = true;
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'location', 'etag']) {
          const v = res.getHeader(name);
          if (typeof v === 'string') headers[name] = v;
        }
        db.update(t)
          .set({ status: res.statusCode, headers, body })
          .where(thisKey)
          .catch(() => undefined)
          .finally(() => {
            if (!res.headersSent) send(body);
          });
        return res;
      };
      next();
    };

    const resume = async (): Promise<void> => {
      if (await reserve()) {
        recordResponse();
        return;
      }
      const [stored] = await db.select().from(t).where(thisKey);
      if (!stored) {
        // The first request released the key (it failed) between our insert and select.
        if (await reserve()) {
          recordResponse();
          return;
        }
        throw inProgress();
      }
      if (stored.requestHash !== hash) {
        throw new AppError(
          'idempotency_conflict',
          'This Idempotency-Key was used for another request',
        );
      }
      if (stored.status === IN_PROGRESS) {
        if (Date.now() - stored.createdAt.getTime() < ABANDONED_AFTER_MS) throw inProgress();
        const [taken] = await db
          .update(t)
          .set({ createdAt: new Date() })
          .where(
            and(
              thisKey,
              eq(t.status, IN_PROGRESS),
              lt(t.createdAt, new Date(Date.now() - ABANDONED_AFTER_MS)),
            ),
          )
          .returning({ key: t.key });
        if (!taken) throw inProgress();
        recordResponse();
        return;
      }
      res.set(stored.headers as Record<string, string>);
      res.set('Idempotent-Replayed', 'true');
      res.status(stored.status).send(stored.body);
    };
    resume().catch(next);
  };
}

function inProgress(): AppError {
  return new AppError(
    'conflict',
    'A request with this Idempotency-Key is still in progress; retry it later',
    undefined,
    { 'Retry-After': '1' },
  );
}

/** Keys are kept for a day, as the IETF draft suggests; a job deletes older ones. */
export async function purgeIdempotencyKeys(db: Db, tables: KitTables): Promise<void> {
  const t = tables.idempotencyKeys;
  await db.delete(t).where(lt(t.createdAt, new Date(Date.now() - 24 * 3600_000)));
}
