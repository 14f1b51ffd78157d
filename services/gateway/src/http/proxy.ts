import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AppError,
  assertRole,
  authenticate,
  type Principal,
  type TokenVerifier,
} from '@crm/service-kit';
import { Router, type Request, type RequestHandler } from 'express';
import type { Upstreams } from '../clients/upstreams.js';
import { clientResponseHeaders, upstreamRequestHeaders } from '../domain/forwarding.js';
import { gatewayMatcher, resolveTarget, type RouteTarget } from '../domain/routing.js';
import { readRawBody } from './body.js';

export interface ProxyOptions {
  upstreams: Upstreams;
  verify: TokenVerifier;
  bodyLimit: number;
  /** For routes that take a raw upload (`bodyContentType` in the route table). */
  uploadLimit: number;
  /** Ids of the routes the gateway serves itself: passed on; its others are unknown. */
  served: ReadonlySet<string>;
  /** Checks an authenticated caller further before the hop (the staff directory). */
  admit: (principal: Principal) => Promise<void>;
}

/** The id the kit's request logger gave this request (from the caller's X-Request-Id if valid). */
function requestIdOf(req: Request): string {
  return typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : randomUUID();
}

type Forwardable = Extract<RouteTarget, { kind: 'upstream' }>;

/**
 * `/crm/*`: find the owning service from the route table, require a valid token, then
 * forward the request as it came and the answer as it went back.
 */
export function proxyRouter(options: ProxyOptions): Router {
  const targets = new WeakMap<Request, Forwardable>();
  const matcher = gatewayMatcher(options.served);

  const route: RequestHandler = (req, _res, next) => {
    const target = resolveTarget(req.method, req.originalUrl, matcher);
    switch (target.kind) {
      case 'upstream':
        targets.set(req, target);
        next();
        return;
      case 'method_not_allowed':
        next(
          new AppError(
            'method_not_allowed',
            `${req.method} is not allowed here; use ${target.allow.join(', ')}`,
            undefined,
            { Allow: target.allow.join(', ') },
          ),
        );
        return;
      case 'gateway':
        // Served by the gateway's own routes, mounted after this router.
        next('router');
        return;
      case 'not_found':
        next(new AppError('not_found', `No route for ${req.method} ${req.baseUrl}${req.path}`));
        return;
    }
  };

  const forward: RequestHandler = async (req, res) => {
    const target = targets.get(req);
    if (target === undefined) throw new AppError('internal', 'Request reached the proxy unrouted');
    const body = await readRawBody(req, target.upload ? options.uploadLimit : options.bodyLimit);
    const answer = await options.upstreams[target.service].open({
      method: req.method,
      path: req.originalUrl,
      headers: upstreamRequestHeaders(req.headers, {
        requestId: requestIdOf(req),
        peerAddress: req.socket.remoteAddress,
        protocol: req.protocol,
        host: req.host,
      }),
      body,
    });
    res.status(answer.status);
    for (const [name, value] of Object.entries(clientResponseHeaders(answer.headers))) {
      res.setHeader(name, value);
    }
    // Streamed on as it arrives: never held whole, never parsed or re-serialised. Piped by
    // hand: stream.pipeline would create (and abort) an AbortController per request.
    const answerBody: Readable = answer.body;
    answerBody.once('error', (err) => res.destroy(err));
    res.once('close', () => {
      if (!answerBody.readableEnded) answerBody.destroy();
    });
    answerBody.pipe(res);
  };

  const jwt = authenticate(options.verify);
  const authenticateUnlessSigned: RequestHandler = (req, res, next) => {
    const target = targets.get(req);
    if (target?.auth !== 'jwt') {
      next();
      return;
    }
    jwt(req, res, (err?: unknown) => {
      if (err !== undefined || req.principal === undefined) {
        next(err);
        return;
      }
      const principal = req.principal;
      options.admit(principal).then(() => {
        try {
          // The service checks the same declaration; refusing here saves the hop.
          assertRole(principal, target.roles);
          next();
        } catch (refused) {
          next(refused);
        }
      }, next);
    });
  };

  const router = Router();
  router.use('/crm', route, authenticateUnlessSigned, forward);
  return router;
}
