import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, Problem } from './errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './pagination.js';
import {
  JSON_CONTENT_TYPE,
  ROUTES,
  type RouteDefinition,
  type RouteResponse,
} from './http/routes.js';

/** Version of the HTTP API and of the event catalog; bump with every published change. */
export const API_VERSION = '0.1.0';

export const SECURITY_SCHEME = 'bearerAuth';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']> & {
  jsonSchemaDialect?: string;
};

const API_DESCRIPTION = `The REST API of the Enhanced CRM for BookingX. Every route sits behind one gateway under \`/crm\`.

## Authentication
Send \`Authorization: Bearer <JWT>\`. The token names the user (\`sub\`), the tenant (\`tenant\`), the role (\`admin\`, \`manager\`, \`staff\`, \`sales_rep\` or \`customer\`) and, for staff, their \`teams\`. Each operation lists the roles that may call it in \`x-roles\`; within those, a caller only ever sees the customers their role gives them. A staff member joins the directory (\`/crm/team\`) at their first request, from the claims of their token (\`sub\`, \`name\`, \`email\`, \`role\`, \`teams\`); once an admin deactivates them, every request of theirs is refused with 403 \`member_inactive\`.

## Conventions
- JSON field names are \`snake_case\`, ids are UUIDs, times are RFC 3339 UTC, money is \`{amount_minor, currency}\`.
- Unknown fields in a body or query are refused with 422, never silently dropped.

## Pagination
Lists are cursor-paginated. Pass \`limit\` (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}) and get \`{"data": [...], "next_cursor": "..." | null}\`. To read the next page, repeat the request with \`cursor=<next_cursor>\` and the same filters and sort; \`null\` means there is no more. Cursors are opaque and only valid for the query that produced them; any other cursor is refused with 400 \`invalid_cursor\`. Sort with \`sort=field\` or \`sort=-field\` (descending).

## Concurrency: ETag and If-Match
A read of a single object returns an \`ETag\` header holding its version in quotes, e.g. \`"3"\`. Send it back in \`If-Match\` on an update: when the object changed in between, the update is refused with 412 \`precondition_failed\` and nothing is written. Without \`If-Match\` the last write wins.

## Retries: Idempotency-Key
Every \`POST\` accepts an \`Idempotency-Key\` header (any unique string, such as a UUID). Repeating a request with the same key and body returns the first response instead of acting twice; reusing the key with a different body is refused with 409 \`idempotency_conflict\`. Keys are scoped to the tenant and caller.

## Errors
Errors are \`application/problem+json\` (RFC 9457) with \`type\`, \`title\`, \`status\`, \`detail\`, a stable machine-readable \`code\` and, for validation errors, \`errors[]\` naming each bad field. 401 means no valid token; 403 a known caller without the right; 404 an object that does not exist or that the caller may not know exists.`;

const TAGS = [
  { name: 'Customers', description: 'Customer profiles.' },
  { name: 'Tags', description: 'The tenant tag catalog and the tags on customers.' },
  { name: 'Relationships', description: 'Family, friends, referrals and households.' },
  {
    name: 'Opportunities',
    description: 'The sales pipeline: opportunities per customer and stage.',
  },
  { name: 'Consent', description: 'The consent ledger: who agreed to be contacted how, and why.' },
  { name: 'Self-service', description: 'What a customer reads and changes about themselves.' },
  {
    name: 'Custom fields',
    description: 'Fields a tenant adds to its customer profiles, and the rules their values obey.',
  },
  { name: 'Timeline', description: 'What happened with a customer, across every service.' },
  {
    name: 'Team',
    description: 'The staff directory: members, their roles and teams, for assignment pickers.',
  },
  {
    name: 'Settings',
    description: "The tenant's own conventions: the locale, time zone and currency it is shown in.",
  },
  { name: 'Admin', description: 'Operating the cluster: dead-lettered events and their replay.' },
  {
    name: 'Development',
    description:
      'Routes a cluster run for development serves (`x-development-only`); production has none of them.',
  },
];

const DEFAULT_PROBLEM: ResponseConfig = {
  description:
    'Any other error: malformed JSON (400), payload too large (413), wrong content type (415), rate limited (429), internal (500), upstream unavailable or timed out (503, 504).',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
};

/** The kit validates params, query, headers and body alike and answers 422 for any of them. */
const VALIDATION_PROBLEM: ResponseConfig = {
  description:
    'A parameter or body field broke its schema, or an unknown field was sent; `errors[]` names each one (code `validation_failed`).',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
};

function takesInput(route: RouteDefinition): boolean {
  const { params, query, headers, body } = route.request;
  return params !== undefined || query !== undefined || headers !== undefined || body !== undefined;
}

/** `idempotency-key` → `Idempotency-Key`: the schemas key headers as Node delivers them. */
function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('-');
}

function canonicalHeaders(headers: z.ZodObject): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, schema] of Object.entries(headers.shape)) {
    if (schema instanceof z.ZodType) shape[canonicalHeaderName(name)] = schema;
  }
  return z.object(shape);
}

function response(def: RouteResponse): ResponseConfig {
  const config: ResponseConfig = { description: def.description };
  if (def.headers !== undefined) config.headers = def.headers;
  if (def.schema !== undefined) {
    config.content = { [def.contentType ?? JSON_CONTENT_TYPE]: { schema: def.schema } };
  }
  if (def.content !== undefined) {
    config.content = Object.fromEntries(
      Object.entries(def.content).map(([type, schema]) => [type, { schema }]),
    );
  }
  return config;
}

export const SIGNATURE_SCHEME = 'bookingxSignature';

function securityOf(route: RouteDefinition): RouteConfig['security'] {
  switch (route.auth) {
    case 'jwt':
      return [{ [SECURITY_SCHEME]: [] }];
    case 'signature':
      return [{ [SIGNATURE_SCHEME]: [] }];
    case 'tracking_key':
    case 'none':
      return [];
  }
}

function routeConfig(route: RouteDefinition): RouteConfig {
  const request: NonNullable<RouteConfig['request']> = {};
  if (route.request.params !== undefined) request.params = route.request.params;
  if (route.request.query !== undefined) request.query = route.request.query;
  if (route.request.headers !== undefined) {
    request.headers = canonicalHeaders(route.request.headers);
  }
  if (route.request.body !== undefined) {
    request.body = {
      required: true,
      content: {
        [route.request.bodyContentType ?? JSON_CONTENT_TYPE]: { schema: route.request.body },
      },
    };
  }
  const responses: RouteConfig['responses'] = {};
  for (const [status, def] of Object.entries(route.responses)) {
    responses[status] = response(def);
  }
  if (takesInput(route) && responses['422'] === undefined) responses['422'] = VALIDATION_PROBLEM;
  responses.default = DEFAULT_PROBLEM;
  const config: RouteConfig = {
    method: route.method,
    path: route.path,
    operationId: route.id,
    summary: route.summary,
    tags: [...route.tags],
    security: securityOf(route),
    request,
    responses,
    'x-roles': [...route.roles],
    'x-service': route.service,
    'x-auth': route.auth,
  };
  if (route.developmentOnly) config['x-development-only'] = true;
  if (route.description !== undefined) config.description = route.description;
  return config;
}

/** The OpenAPI 3.1 document of every route in `routes`; deterministic for the same input. */
export function buildOpenApiDocument(routes: readonly RouteDefinition[] = ROUTES): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', SECURITY_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A JWT issued for the tenant; see Authentication above.',
  });
  registry.registerComponent('securitySchemes', SIGNATURE_SCHEME, {
    type: 'apiKey',
    in: 'header',
    name: 'X-BookingX-Signature',
    description:
      '`v1=<hex HMAC-SHA256(ingest secret, "<X-BookingX-Timestamp>.<raw body>")>`, with `X-BookingX-Tenant`.',
  });
  for (const route of routes) registry.registerPath(routeConfig(route));
  const generator = new OpenApiGeneratorV31(registry.definitions, {
    sortComponents: 'alphabetically',
  });
  const document = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Enhanced CRM API',
      version: API_VERSION,
      description: API_DESCRIPTION,
    },
    // Relative: the paths start with /crm, so "Try it out" calls whichever gateway serves the docs.
    servers: [{ url: '/', description: 'The gateway that serves this document' }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: TAGS,
  });
  // The generator always adds `webhooks`; the API has none yet.
  if (document.webhooks !== undefined && Object.keys(document.webhooks).length === 0) {
    delete document.webhooks;
  }
  const { openapi, ...rest } = document;
  return {
    openapi,
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    ...rest,
    ...nullableRefsAsAnyOf(document),
  };
}

export const JSON_SCHEMA_DIALECT = 'https://spec.openapis.org/oas/3.1/dialect/base';

/**
 * The generator writes a nullable reference as `allOf: [{$ref}, {type: ['object', 'null']}]`,
 * which no value satisfies when null (the referenced schema refuses it). In JSON Schema
 * 2020-12 it is `anyOf: [{$ref}, {type: 'null'}]`.
 */
function nullableRefsAsAnyOf(
  document: OpenApiDocument,
): Pick<OpenApiDocument, 'paths' | 'components'> {
  return {
    paths: rewrite(document.paths) as OpenApiDocument['paths'],
    components: rewrite(document.components) as OpenApiDocument['components'],
  };
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, item]) => [key, rewrite(item)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  const { allOf, ...rest } = object;
  if (!Array.isArray(allOf) || allOf.length !== 2) return object;
  const [ref, nullable] = allOf as unknown[];
  if (!isRef(ref) || !isNullMarker(nullable)) return object;
  return { anyOf: [ref, { type: 'null' }], ...rest };
}

function isRef(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

/** `{type: [..., 'null']}` and nothing else. */
function isNullMarker(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  const type = (value as { type?: unknown }).type;
  return keys.length === 1 && Array.isArray(type) && type.includes('null');
}
