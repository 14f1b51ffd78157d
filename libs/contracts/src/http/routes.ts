import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, Problem } from '../errors.js';
import { PageQuery } from '../pagination.js';
import type { Role } from '../roles.js';
import { DeadLetter, DeadLetterPage } from './admin.js';
import {
  CreateCustomerBody,
  Customer,
  CustomerIdParams,
  CustomerPage,
  ListCustomersQuery,
  UpdateCustomerBody,
} from './customers.js';
import { TimelinePage, TimelineQuery } from './timeline.js';

export const SERVICE_NAMES = [
  'gateway',
  'profiles',
  'interactions',
  'notes-tasks',
  'comms',
  'segments',
  'automation',
  'analytics',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The services behind the gateway, each with its own queue and dead-letter queue. */
export const BACKEND_SERVICES = [
  'profiles',
  'interactions',
  'notes-tasks',
  'comms',
  'segments',
  'automation',
  'analytics',
] as const satisfies readonly ServiceName[];
export type BackendService = (typeof BACKEND_SERVICES)[number];
export const BackendService = z.enum(BACKEND_SERVICES);

export function isBackendService(value: string): value is BackendService {
  return (BACKEND_SERVICES as readonly string[]).includes(value);
}

/** In place of a service name: the upstream is the value of the route's `{service}` segment. */
export const SERVICE_FROM_PATH = '{service}';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const JSON_CONTENT_TYPE = 'application/json';

export interface RouteRequest {
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Keys in lower case, as Node delivers header names, so the schema parses `req.headers`. */
  headers?: z.ZodObject;
  /** Always sent as application/json. */
  body?: z.ZodType;
}

export interface RouteResponse {
  description: string;
  contentType?: string;
  schema?: z.ZodType;
  /** Response headers by their canonical name (`Location`, `ETag`). */
  headers?: z.ZodObject;
}

export interface RouteDefinition {
  /** The OpenAPI operationId. */
  id: string;
  method: HttpMethod;
  /** OpenAPI form, e.g. `/crm/customers/{id}`. */
  path: `/crm/${string}`;
  service: ServiceName | typeof SERVICE_FROM_PATH;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** Roles that may call the route at all; object-level checks still apply in each service. */
  roles: readonly Role[];
  request: RouteRequest;
  responses: Readonly<Record<number, RouteResponse>>;
  auth: 'jwt';
}

function json<S extends z.ZodType>(description: string, schema: S, headers?: z.ZodObject) {
  return headers === undefined
    ? { description, contentType: JSON_CONTENT_TYPE, schema }
    : { description, contentType: JSON_CONTENT_TYPE, schema, headers };
}

function problem(description: string) {
  return { description, contentType: PROBLEM_CONTENT_TYPE, schema: Problem };
}

const unauthenticated = problem(
  'No bearer token, or one that is expired, badly signed or for another audience (code `unauthenticated`).',
);
const forbidden = problem("The caller's role may not use this operation (code `forbidden`).");
const invalid = problem(
  'A parameter or body field broke its schema, or an unknown field was sent; `errors[]` names each one (code `validation_failed`).',
);
const customerNotFound = problem(
  'No such customer, or one the caller may not see (code `not_found`).',
);

const ETag = z
  .string()
  .regex(/^"\d+"$/)
  .describe('The version of the customer in quotes, e.g. `"3"`; send it back in `If-Match`.');

const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe(
      'Any unique string, e.g. a UUID. A retry with the same key and body returns the first response; the same key with another body is refused with 409 `idempotency_conflict`.',
    ),
});

const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .regex(/^"\d+"$/)
    .optional()
    .describe(
      'The `ETag` last read. The update is refused with 412 when the customer has changed since.',
    ),
});

const DeadLetterListParams = z.object({
  service: BackendService.describe('The service that consumed the event'),
});

const DeadLetterParams = DeadLetterListParams.extend({ id: z.uuid() });

const STAFF: readonly Role[] = ['admin', 'manager', 'staff', 'sales_rep'];
const CUSTOMER_EDITORS: readonly Role[] = ['admin', 'manager', 'sales_rep'];
const ADMIN: readonly Role[] = ['admin'];

/** Every HTTP route behind the gateway: the gateway routes by it and openapi.json is built from it. */
export const ROUTES = [
  {
    id: 'createCustomer',
    method: 'post',
    path: '/crm/customers',
    service: 'profiles',
    summary: 'Create a customer',
    description:
      'Creates a customer profile with a new time-ordered id and publishes `crm.customer.created.v1`.',
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { body: CreateCustomerBody, headers: IdempotencyKeyHeader },
    responses: {
      201: json(
        'The customer as stored.',
        Customer,
        z.object({
          Location: z.string().describe('Path of the new customer, `/crm/customers/{id}`'),
          ETag,
        }),
      ),
      401: unauthenticated,
      403: forbidden,
      409: problem(
        'Another customer of the tenant has this email or external reference (code `conflict`), or the `Idempotency-Key` was used with another body (code `idempotency_conflict`).',
      ),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listCustomers',
    method: 'get',
    path: '/crm/customers',
    service: 'profiles',
    summary: 'List customers',
    description: 'Customers the caller may see, one page at a time.',
    tags: ['Customers'],
    roles: STAFF,
    request: { query: ListCustomersQuery },
    responses: {
      200: json('One page of customers.', CustomerPage),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomer',
    method: 'get',
    path: '/crm/customers/{id}',
    service: 'profiles',
    summary: 'Get a customer',
    tags: ['Customers'],
    roles: STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: json('The customer.', Customer, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
    },
    auth: 'jwt',
  },
  {
    id: 'updateCustomer',
    method: 'patch',
    path: '/crm/customers/{id}',
    service: 'profiles',
    summary: 'Update a customer',
    description:
      'Changes the fields sent and leaves the others as they are; `null` clears a nullable field. Publishes `crm.customer.updated.v1`.',
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: UpdateCustomerBody, headers: IfMatchHeader },
    responses: {
      200: json('The customer after the change.', Customer, z.object({ ETag })),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      412: problem(
        'The customer changed since the `If-Match` version was read (code `precondition_failed`).',
      ),
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'getCustomerTimeline',
    method: 'get',
    path: '/crm/customers/{id}/timeline',
    service: 'interactions',
    summary: 'Customer timeline',
    description:
      'Everything that happened with a customer — bookings, payments, interactions, notes, tasks, messages — newest first.',
    tags: ['Timeline'],
    roles: STAFF,
    request: { params: CustomerIdParams, query: TimelineQuery },
    responses: {
      200: json('One page of timeline entries, newest first.', TimelinePage),
      401: unauthenticated,
      403: forbidden,
      404: customerNotFound,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'listDeadLetters',
    method: 'get',
    path: '/crm/admin/services/{service}/dead-letters',
    service: SERVICE_FROM_PATH,
    summary: 'List dead-lettered events',
    description:
      'Events the service gave up on after its delivery limit, newest first, with the reason of the last failure.',
    tags: ['Admin'],
    roles: ADMIN,
    request: { params: DeadLetterListParams, query: PageQuery },
    responses: {
      200: json('One page of dead letters.', DeadLetterPage),
      401: unauthenticated,
      403: forbidden,
      422: invalid,
    },
    auth: 'jwt',
  },
  {
    id: 'replayDeadLetter',
    method: 'post',
    path: '/crm/admin/services/{service}/dead-letters/{id}/replay',
    service: SERVICE_FROM_PATH,
    summary: 'Replay a dead-lettered event',
    description:
      "Puts the event back on the service's queue unchanged; its consumers are idempotent, so an event that had partly taken effect is safe to replay.",
    tags: ['Admin'],
    roles: ADMIN,
    request: { params: DeadLetterParams, headers: IdempotencyKeyHeader },
    responses: {
      202: json('The event is queued again; `replayed_at` is set.', DeadLetter),
      401: unauthenticated,
      403: forbidden,
      404: problem('No such dead letter in this service (code `not_found`).'),
      409: problem(
        'The dead letter was already replayed (code `conflict`), or the `Idempotency-Key` was used with another request (code `idempotency_conflict`).',
      ),
    },
    auth: 'jwt',
  },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof ROUTES)[number];
export type RouteId = Route['id'];

export function getRoute<I extends RouteId>(id: I): Extract<Route, { id: I }> {
  const route = ROUTES.find((r): r is Extract<Route, { id: I }> => r.id === id);
  if (route === undefined) throw new Error(`No route ${id}`);
  return route;
}

export interface RouteMatch<R extends RouteDefinition = Route> {
  route: R;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  /** The upstream that serves the request, resolved from the path where the route says so. */
  service: ServiceName;
}

export interface RouteMatcher<R extends RouteDefinition = Route> {
  match(method: string, path: string): RouteMatch<R> | undefined;
  allowedMethods(path: string): HttpMethod[];
}

interface CompiledRoute<R extends RouteDefinition> {
  route: R;
  pattern: RegExp;
  paramNames: string[];
  /** Per segment 0 for a literal, 1 for a parameter: literal segments sort, and so match, first. */
  rank: number[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An enum parameter matches only its values, so `/admin/services/nope/...` is no route at all. */
function paramPattern(route: RouteDefinition, name: string): string {
  // The shape is typed loosely (any) by zod; `unknown` forces the check below.
  const schema: unknown = route.request.params?.shape[name];
  if (schema instanceof z.ZodEnum) {
    return `(${schema.options.map((o) => escapeRegExp(String(o))).join('|')})`;
  }
  return '([^/]+)';
}

function compile<R extends RouteDefinition>(route: R): CompiledRoute<R> {
  const paramNames: string[] = [];
  const rank: number[] = [];
  const parts = route.path
    .split('/')
    .slice(1)
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1] !== undefined) {
        paramNames.push(param[1]);
        rank.push(1);
        return paramPattern(route, param[1]);
      }
      rank.push(0);
      return escapeRegExp(segment);
    });
  return { route, pattern: new RegExp(`^/${parts.join('/')}/?$`), paramNames, rank };
}

function compareRank(a: { rank: number[] }, b: { rank: number[] }): number {
  const length = Math.min(a.rank.length, b.rank.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.rank.length - b.rank.length;
}

function stripQuery(path: string): string {
  const q = path.search(/[?#]/);
  return q === -1 ? path : path.slice(0, q);
}

function extract(
  compiled: CompiledRoute<RouteDefinition>,
  path: string,
): Record<string, string> | undefined {
  const m = compiled.pattern.exec(path);
  if (m === null) return undefined;
  const params: Record<string, string> = {};
  try {
    compiled.paramNames.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
  } catch {
    // A malformed percent-escape names no resource.
    return undefined;
  }
  return params;
}

function upstreamOf(
  route: RouteDefinition,
  params: Record<string, string>,
): ServiceName | undefined {
  if (route.service !== SERVICE_FROM_PATH) return route.service;
  const named = params.service;
  return named !== undefined && isBackendService(named) ? named : undefined;
}

/** Compiles the paths of `routes` once; the gateway matches every request against the result. */
export function createRouteMatcher<R extends RouteDefinition>(
  routes: readonly R[],
): RouteMatcher<R> {
  const compiled = routes.map((route) => compile(route)).sort(compareRank);
  return {
    match(method, path) {
      const verb = method.toLowerCase();
      const bare = stripQuery(path);
      for (const entry of compiled) {
        if (entry.route.method !== verb) continue;
        const params = extract(entry, bare);
        if (params === undefined) continue;
        const service = upstreamOf(entry.route, params);
        if (service === undefined) continue;
        return { route: entry.route, params, service };
      }
      return undefined;
    },
    allowedMethods(path) {
      const bare = stripQuery(path);
      const methods = new Set<HttpMethod>();
      for (const entry of compiled) {
        if (extract(entry, bare) !== undefined) methods.add(entry.route.method);
      }
      return HTTP_METHODS.filter((m) => methods.has(m));
    },
  };
}

const MATCHER = createRouteMatcher(ROUTES);

/**
 * The route serving a concrete request path such as `/crm/customers/0190…` (query string
 * ignored), with its decoded path parameters and upstream service; undefined when none.
 */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  return MATCHER.match(method, path);
}

/** Methods some route serves at this path: the `Allow` header of a 405. */
export function allowedMethods(path: string): HttpMethod[] {
  return MATCHER.allowedMethods(path);
}
