import {
  ROUTES,
  createRouteMatcher,
  isBackendService,
  type BackendService,
  type RouteDefinition,
  type RouteId,
  type RouteMatcher,
} from '@crm/contracts';

/** Where a request goes: decided from the route table alone, before any I/O. */
export type RouteTarget =
  | {
      kind: 'upstream';
      service: BackendService;
      routeId: RouteId;
      /** Signed ingest and the tracking beacon carry no JWT; their service verifies them. */
      auth: RouteDefinition['auth'];
      /** The roles the route declares: others are refused here, before the hop. */
      roles: RouteDefinition['roles'];
      /** The route takes a raw upload, bounded by its own limit. */
      upload: boolean;
    }
  | { kind: 'gateway'; routeId: RouteId }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allow: string[] };

/** `.` and `..` in any spelling: an upstream's URL parser would resolve them into another path. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => DOT_SEGMENT.test(segment));
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * The routes this gateway answers: every upstream's, and those of its own it serves (the
 * development routes only in development), so a route it does not serve is no route at all.
 */
export function gatewayMatcher(served: ReadonlySet<string>): RouteMatcher {
  return createRouteMatcher(ROUTES.filter((r) => r.service !== 'gateway' || served.has(r.id)));
}

const EVERY_ROUTE = createRouteMatcher(ROUTES);

/**
 * Which service owns `method url` (a request target such as `/crm/customers?limit=5`).
 * `/crm/admin/services/{service}/...` is owned by the service its path names.
 */
export function resolveTarget(
  method: string,
  url: string,
  matcher: RouteMatcher = EVERY_ROUTE,
): RouteTarget {
  const path = pathOf(url);
  if (hasDotSegment(path)) return { kind: 'not_found' };
  const match = matcher.match(method, path);
  if (match === undefined) {
    const allow = matcher.allowedMethods(path).map((m) => m.toUpperCase());
    return allow.length > 0 ? { kind: 'method_not_allowed', allow } : { kind: 'not_found' };
  }
  if (isBackendService(match.service)) {
    return {
      kind: 'upstream',
      service: match.service,
      routeId: match.route.id,
      auth: match.route.auth,
      roles: match.route.roles,
      upload: (match.route as RouteDefinition).request.bodyContentType !== undefined,
    };
  }
  return { kind: 'gateway', routeId: match.route.id };
}
