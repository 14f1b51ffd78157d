import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@crm/service-kit';
import express, { Router, type RequestHandler, type Response } from 'express';

export const CONSOLE_PATH = '/crm/app';

/** The console as `pnpm --filter @crm/console build` leaves it, found from this file in src/ or dist/. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(
  new URL('../../../../apps/console/dist', import.meta.url),
);

/**
 * Scripts, styles, images and API calls only from this origin; no inline script, no framing.
 * Images may also come over https, for customers' profile pictures stored elsewhere.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
};

function notBuilt(dir: string): AppError {
  return new AppError(
    'not_found',
    `The console is not built in ${dir}: run pnpm --filter @crm/console build, or set CONSOLE_DIR`,
  );
}

/** A deep link (a page of the app) rather than a file: its last segment has no extension. */
function isPagePath(path: string): boolean {
  const last = path.split('/').at(-1) ?? '';
  return !last.includes('.');
}

/**
 * The built console at /crm/app/: hashed assets cached for a year, index.html revalidated on
 * every load (so a deploy is seen at once), and every page path answered with index.html so
 * deep links work. Missing files are 404s, never the page.
 */
export function consoleRouter(dir: string): Router {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  const sendIndex = async (res: Response, method: string): Promise<void> => {
    const file = await stat(index).catch(() => undefined);
    if (file === undefined) throw notBuilt(root);
    res.setHeader('Cache-Control', REVALIDATE);
    res.type('html');
    if (method === 'HEAD') {
      res.setHeader('Content-Length', String(file.size));
      res.end();
      return;
    }
    await new Promise<void>((done, fail) => {
      res.sendFile(index, { cacheControl: false, lastModified: true }, (err) => {
        if (err) fail(err);
        else done();
      });
    });
  };

  const router = Router();
  router.use(CONSOLE_PATH, securityHeaders);
  router.get(CONSOLE_PATH, (req, res, next) => {
    const [path = '', query] = req.originalUrl.split('?', 2);
    // Routing is not strict: /crm/app/ reaches this handler too, and is served below.
    if (path !== CONSOLE_PATH) {
      next();
      return;
    }
    res.redirect(301, `${CONSOLE_PATH}/${query === undefined ? '' : `?${query}`}`);
  });
  // Vite names every asset after its content hash: a changed file gets a new name.
  router.use(
    `${CONSOLE_PATH}/assets`,
    express.static(join(root, 'assets'), {
      index: false,
      fallthrough: true,
      redirect: false,
      cacheControl: false,
      setHeaders: (res) => {
        res.setHeader('Cache-Control', IMMUTABLE);
      },
    }),
    (req, _res, next) => {
      next(new AppError('not_found', `No console asset ${req.baseUrl}${req.path}`));
    },
  );
  router.use(
    CONSOLE_PATH,
    express.static(root, {
      index: false,
      redirect: false,
      cacheControl: false,
      setHeaders: (res) => {
        res.setHeader('Cache-Control', REVALIDATE);
      },
    }),
    async (req, res, next) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !isPagePath(req.path)) {
        next(new AppError('not_found', `No console file ${req.baseUrl}${req.path}`));
        return;
      }
      await sendIndex(res, req.method);
    },
  );
  return router;
}
