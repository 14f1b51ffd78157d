import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, Problem } from '../errors.js';
import { STAFF_ROLES, type Role } from '../roles.js';

/** The services behind the gateway, each with its own queue and dead-letter queue. */
export const BACKEND_SERVICES = [
  'profiles',
  'interactions',
  'notes-tasks',
  'comms',
  'segments',
  'automation',
  'analytics',
] as const;
export type BackendService = (typeof BACKEND_SERVICES)[number];
export const BackendService = z.enum(BACKEND_SERVICES);

export const SERVICE_NAMES = ['gateway', ...BACKEND_SERVICES] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

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
  /** Sent as application/json unless `bodyContentType` names another media type. */
  body?: z.ZodType;
  /** A raw upload the service reads itself, e.g. `text/csv`. */
  bodyContentType?: string;
}

export interface RouteResponse {
  description: string;
  contentType?: string;
  schema?: z.ZodType;
  /** A body offered in several media types (chosen by a parameter): each with its schema. */
  content?: Readonly<Record<string, z.ZodType>>;
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
  /**
   * `jwt`: a bearer token, verified by the gateway and the service. `signature`: an HMAC
   * of the tenant's ingest secret over timestamp and body. `tracking_key`: the tenant's
   * public tracking key in the body (browsers of the booking site). `none`: open to anyone
   * (the development token route, which exists only in development).
   */
  auth: 'jwt' | 'signature' | 'tracking_key' | 'none';
  /** Served only by a cluster run for development (`x-development-only` in the document). */
  developmentOnly?: boolean;
}

export function json<S extends z.ZodType>(description: string, schema: S, headers?: z.ZodObject) {
  return headers === undefined
    ? { description, contentType: JSON_CONTENT_TYPE, schema }
    : { description, contentType: JSON_CONTENT_TYPE, schema, headers };
}

export function problem(description: string) {
  return { description, contentType: PROBLEM_CONTENT_TYPE, schema: Problem };
}

export const unauthenticated = problem(
  'No bearer token, or one that is expired, badly signed or for another audience (code `unauthenticated`).',
);
export const forbidden = problem(
  "The caller's role may not use this operation (code `forbidden`).",
);
export const invalid = problem(
  'A parameter or body field broke its schema, or an unknown field was sent; `errors[]` names each one (code `validation_failed`).',
);

/** What a route behind a bearer token may answer before it runs: no valid token, or a wrong role. */
export const guarded = { 401: unauthenticated, 403: forbidden } as const;
/** The same for a route whose parameters, query or body are checked against their schemas. */
export const guardedInput = { ...guarded, 422: invalid } as const;

export const customerNotFound = problem(
  'No such customer, or one the caller may not see (code `not_found`).',
);

/** An `ETag`: a version number in quotes, which `If-Match` sends back. */
function versionTag(what: string) {
  return z
    .string()
    .regex(/^"\d+"$/)
    .describe(`${what} in quotes, e.g. \`"3"\`; send it back in \`If-Match\`.`);
}

export const ETag = versionTag('The version of the customer');

export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe(
      'Any unique string, e.g. a UUID. A retry with the same key and body returns the first response; the same key with another body is refused with 409 `idempotency_conflict`.',
    ),
});

export const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .regex(/^\s*(\*|(W\/)?"\d+"(\s*,\s*(W\/)?"\d+")*)\s*$/)
    .optional()
    .describe(
      'The `ETag` last read (or `*`). The change is refused with 412 when the object has changed since.',
    ),
});

export const STAFF: readonly Role[] = STAFF_ROLES;
export const CUSTOMER_EDITORS: readonly Role[] = ['admin', 'manager', 'sales_rep'];
export const ADMIN: readonly Role[] = ['admin'];
export const ADMIN_MANAGER: readonly Role[] = ['admin', 'manager'];
export const CUSTOMER: readonly Role[] = ['customer'];
export const SALES: readonly Role[] = ['admin', 'manager', 'sales_rep'];
export const opportunityNotFound = problem(
  'No such opportunity on a customer the caller may see (code `not_found`).',
);

export const VersionETag = versionTag('The version');
export const stale = problem(
  'The object changed since the `If-Match` version was read (code `precondition_failed`).',
);
export const tagNotFound = problem('No such tag in the tenant (code `not_found`).');

/** Every HTTP route behind the gateway: the gateway routes by it and openapi.json is built from it. */
