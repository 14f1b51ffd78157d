export * from './common.js';
import { adminRoutes } from './admin/index.js';
import {
  HTTP_METHODS,
  SERVICE_FROM_PATH,
  isBackendService,
  type HttpMethod,
  type RouteDefinition,
  type ServiceName,
} from './common.js';
import { gatewayRoutes } from './gateway/index.js';
import { interactionsRoutes } from './interactions/index.js';
import { profilesRoutes } from './profiles/index.js';
import { z } from 'zod';

/** The route tables of each service, by operation id. */
export const ROUTE_TABLES = {
  gateway: gatewayRoutes,
  profiles: profilesRoutes,
  interactions: interactionsRoutes,
  admin: adminRoutes,
} as const;

/** Every HTTP route behind the gateway: the gateway routes by it and openapi.json is built from it. */
export const ROUTES = [
  ...Object.values(gatewayRoutes),
  ...Object.values(profilesRoutes),
  ...Object.values(interactionsRoutes),
  ...Object.values(adminRoutes),
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
