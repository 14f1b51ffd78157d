import {
  SERVICE_FROM_PATH,
  createRouteMatcher,
  type RouteDefinition,
  type RouteResponse,
} from '@crm/contracts';
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { assertRole, type Principal } from './auth.js';
import { etagOf } from './etag.js';
import { AppError } from './errors.js';
import { parse } from './validate.js';

type Part<
  R extends RouteDefinition,
  K extends 'params' | 'query' | 'headers' | 'body',
> = K extends 'body'
  ? R['request'] extends { bodyContentType: string }
    ? Buffer
    : Parsed<R, K>
  : Parsed<R, K>;

type Parsed<
  R extends RouteDefinition,
  K extends 'params' | 'query' | 'headers' | 'body',
> = R['request'] extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

/** The lowest 2xx a route declares: what it answers when its handler returns a body. */
type SuccessStatus<R extends RouteDefinition> = Extract<keyof R['responses'], 200 | 201 | 202>;

/** What the route's success response carries, as its schema says (unknown for raw bodies). */
export type SuccessBody<R extends RouteDefinition> = R['responses'][SuccessStatus<R>] extends {
  schema: infer S extends z.ZodType;
}
  ? z.input<S>
  : unknown;

/** What a handler is given: the request parts parsed by the route's schemas, and the caller. */
export interface RouteInput<R extends RouteDefinition, C = undefined> {
  params: Part<R, 'params'>;
  query: Part<R, 'query'>;
  body: Part<R, 'body'>;
  headers: Part<R, 'headers'>;
  /** The verified caller; routes that are not `jwt` authenticate callers themselves. */
  principal: R['auth'] extends 'jwt' ? Principal : undefined;
  /** What `HandleOptions.authenticate` proved about a caller without a token. */
  caller: C;
  /** For what the table cannot say: raw bytes of a signed body, the client's address. */
  req: Request;
  /** Only for a handler that streams its answer itself and returns `STREAMED`. */
  res: Response;
}

/** Returned by a handler that wrote the response itself (a CSV or NDJSON stream). */
export const STREAMED: unique symbol = Symbol('streamed');

export interface ReplyOptions {
  status?: number;
  /** The version to send as `ETag`; by default the body's `version` when the route declares one. */
  version?: number;
  /** `Location`; by default `<path>/<body.id>` when the route declares one. */
  location?: string;
  headers?: Record<string, string>;
}

/** A body with what the default answer of the route cannot infer. */
export class Reply<B> {
  constructor(
    readonly body: B,
    readonly options: ReplyOptions,
  ) {}
}

export function reply<B>(body: B, options: ReplyOptions): Reply<B> {
  return new Reply(body, options);
}

export type RouteResult<R extends RouteDefinition> =
  SuccessBody<R> | Reply<SuccessBody<R>> | typeof STREAMED | undefined;

export type RouteHandler<R extends RouteDefinition, C = undefined> = (
  input: RouteInput<R, C>,
) => Promise<RouteResult<R>> | RouteResult<R>;

export interface HandleOptions<C> {
  /** Middleware run before anything is parsed, e.g. a rate limit. */
  before?: RequestHandler[];
  /**
   * For routes that are not `jwt` (signed webhooks): proves the caller before the request is
   * parsed, so a stranger learns nothing from validation errors; the result is `input.caller`.
   */
  authenticate?: (req: Request) => Promise<C>;
}

/** A route of the table bound to the handler that serves it. */
export interface BoundRoute {
  route: RouteDefinition;
  serve: (req: Request, res: Response, params: Record<string, string>) => Promise<void>;
}

/**
 * Binds a handler to a route of the contracts' table. The kit parses and validates params,
 * query, headers and body with the route's schemas, refuses roles the route does not list
 * (403), and answers with the route's success status, `ETag` and `Location` as declared.
 */
export function handle<R extends RouteDefinition, C = never>(
  route: R,
  handler: RouteHandler<R, NoInfer<C>>,
  options: HandleOptions<C> = {},
): BoundRoute {
  const success = successOf(route);
  const declares = (header: string) => success.response.headers?.shape[header] !== undefined;
  const sendsETag = declares('ETag');
  const sendsLocation = declares('Location');
  return {
    route,
    async serve(req, res, params) {
      for (const middleware of options.before ?? []) await run(middleware, req, res);
      let principal: Principal | undefined;
      if (route.auth === 'jwt') {
        principal = req.principal;
        if (principal === undefined) {
          throw new AppError('unauthenticated', 'A bearer token is required');
        }
        assertRole(principal, route.roles);
      }
      const caller = options.authenticate ? await options.authenticate(req) : undefined;
      const request = route.request;
      const input = {
        params: request.params ? parse(request.params, params, 'params') : undefined,
        query: request.query ? parse(request.query, req.query, 'query') : undefined,
        headers: request.headers ? parse(request.headers, req.headers, 'headers') : undefined,
        body: request.bodyContentType
          ? rawBodyOf(req, request.bodyContentType)
          : request.body
            ? parse(request.body, req.body, 'body')
            : undefined,
        principal,
        caller,
        req,
        res,
      } as RouteInput<R, C>;
      const result = await handler(input);
      if (result === STREAMED) return;
      const { body, options: answer } =
        result instanceof Reply ? result : { body: result as unknown, options: {} as ReplyOptions };
      if (body === undefined) {
        res.status(answer.status ?? 204).end();
        return;
      }
      res.status(answer.status ?? success.status);
      const version = answer.version ?? (sendsETag ? fieldOf(body, 'version') : undefined);
      if (typeof version === 'number') res.set('ETag', etagOf(version));
      const id = fieldOf(body, 'id');
      const location =
        answer.location ??
        (sendsLocation && typeof id === 'string' ? `${req.path.replace(/\/$/, '')}/${id}` : '');
      if (location) res.location(location);
      if (answer.headers) res.set(answer.headers);
      if (Buffer.isBuffer(body)) {
        res.send(body);
        return;
      }
      res.json(body);
    },
  };
}

/**
 * One middleware serving the routes of a service: matches the request once against the
 * bound routes (literal segments before parameters, as the gateway matches) and serves it,
 * or passes it on. `service` answers routes whose upstream is named in the path
 * (`{service}`). `guard` runs before a `jwt` route only (authentication, admission,
 * idempotency): a signed webhook proves its caller itself. An unmatched `/crm` path is
 * guarded too, so a caller without a valid token learns nothing of which paths exist.
 */
export function mountRoutes(
  service: string,
  bound: readonly BoundRoute[],
  guard: readonly RequestHandler[] = [],
): RequestHandler {
  const byRoute = new Map(bound.map((b) => [b.route, b]));
  const matcher = createRouteMatcher(bound.map((b) => b.route));
  const guarded = async (req: Request, res: Response): Promise<void> => {
    for (const middleware of guard) await run(middleware, req, res);
  };
  return (req, res, next) => {
    const match = matcher.match(req.method, req.path);
    const entry = match && byRoute.get(match.route);
    // A route addressed by `{service}` in its path is this service's only where it names it.
    if (
      match === undefined ||
      entry === undefined ||
      (match.route.service === SERVICE_FROM_PATH && match.service !== service)
    ) {
      if (guard.length === 0 || !req.path.startsWith('/crm/')) {
        next();
        return;
      }
      guarded(req, res).then(() => {
        next();
      }, next);
      return;
    }
    // The route's template labels the request's metrics.
    res.locals.route = match.route.path;
    if (entry.route.auth !== 'jwt' || guard.length === 0) {
      entry.serve(req, res, match.params).catch(next);
      return;
    }
    guarded(req, res)
      .then(() => entry.serve(req, res, match.params))
      .catch(next);
  };
}

/** Runs Express middleware as a step; a middleware that answers itself must throw instead. */
function run(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const result: unknown = middleware(req, res, (err?: unknown) => {
      if (err === undefined || err === null) resolve();
      else reject(err instanceof Error ? err : new Error('middleware failed', { cause: err }));
    });
    if (result instanceof Promise) result.catch(reject);
  });
}

/** An upload the service reads itself: the bytes, when they came as the declared media type. */
function rawBodyOf(req: Request, contentType: string): Buffer {
  const body: unknown = req.body;
  if (!req.is(contentType) || !Buffer.isBuffer(body)) {
    throw new AppError('unsupported_media_type', `Send the body as ${contentType}`);
  }
  return body;
}

function successOf(route: RouteDefinition): { status: number; response: RouteResponse } {
  for (const [status, response] of Object.entries(route.responses)) {
    const code = Number(status);
    if (code >= 200 && code < 300) return { status: code, response };
  }
  throw new Error(`Route ${route.id} declares no success response`);
}

function fieldOf(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)[name]
    : undefined;
}
