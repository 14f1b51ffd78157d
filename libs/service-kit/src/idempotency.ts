import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import type { Db } from './db.js';
import { AppError } from './errors.js';
import type { KitTables } from './tables.js';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * Honours `Idempotency-Key` on POST: the first response (2xx or 4xx) is stored per tenant
 * and key and replayed for a retry with the same body; another body under the same key is 409.
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
    const hash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const tenantId = principal.tenant;
    db.select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.key, key)))
      .then(([stored]) => {
        if (stored) {
          if (stored.requestHash !== hash) {
            throw new AppError(
              'idempotency_conflict',
              'This Idempotency-Key was used for another request',
            );
          }
          res.set(stored.headers as Record<string, string>);
          res.set('Idempotent-Replayed', 'true');
          res.status(stored.status).send(stored.body);
          return;
        }
        const send = res.send.bind(res);
        res.send = (body?: unknown) => {
          if (res.statusCode < 500 && typeof body === 'string') {
            const headers: Record<string, string> = {};
            for (const name of ['content-type', 'location', 'etag']) {
              const v = res.getHeader(name);
              if (typeof v === 'string') headers[name] = v;
            }
            void db
              .insert(t)
              .values({
                tenantId,
                key,
                method: req.method,
                path: req.originalUrl,
                requestHash: hash,
                status: res.statusCode,
                headers,
                body,
              })
              .onConflictDoNothing()
              .catch(() => undefined);
          }
          return send(body);
        };
        next();
      })
      .catch(next);
  };
}

/** Keys are kept for a day, as the IETF draft suggests; a job deletes older ones. */
export async function purgeIdempotencyKeys(db: Db, tables: KitTables): Promise<void> {
  const t = tables.idempotencyKeys;
  await db.delete(t).where(lt(t.createdAt, new Date(Date.now() - 24 * 3600_000)));
}
