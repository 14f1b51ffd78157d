import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Problem, PROBLEM_CONTENT_TYPE } from '../src/errors.js';
import {
  allowedMethods,
  BACKEND_SERVICES,
  createRouteMatcher,
  getRoute,
  matchRoute,
  ROUTES,
  type RouteDefinition,
} from '../src/http/routes.js';

const ID = '0190f5a4-7c1e-7d2a-9b3c-4d5e6f708192';

function route(id: string, method: RouteDefinition['method'], path: RouteDefinition['path']) {
  return {
    id,
    method,
    path,
    service: 'profiles',
    summary: id,
    tags: [],
    roles: ['admin'],
    request: {},
    responses: { 200: { description: 'ok' } },
    auth: 'jwt',
  } satisfies RouteDefinition;
}

describe('matchRoute', () => {
  it('finds a parameterised route and decodes its parameters', () => {
    const match = matchRoute('GET', `/crm/customers/${ID}`);
    expect(match?.route.id).toBe('getCustomer');
    expect(match?.params).toEqual({ id: ID });
    expect(match?.service).toBe('profiles');
    expect(matchRoute('get', '/crm/customers/a%20b')?.params).toEqual({ id: 'a b' });
  });

  it('ignores the query string and one trailing slash', () => {
    expect(matchRoute('GET', '/crm/customers?limit=5&cursor=abc')?.route.id).toBe('listCustomers');
    expect(matchRoute('GET', `/crm/customers/${ID}/timeline/`)?.route.id).toBe(
      'getCustomerTimeline',
    );
  });

  it('routes a nested path to its own service', () => {
    expect(matchRoute('GET', `/crm/customers/${ID}/timeline`)?.service).toBe('interactions');
  });

  it('takes the upstream of admin routes from the {service} segment', () => {
    for (const service of BACKEND_SERVICES) {
      const match = matchRoute('POST', `/crm/admin/services/${service}/dead-letters/${ID}/replay`);
      expect(match?.route.id).toBe('replayDeadLetter');
      expect(match?.service).toBe(service);
      expect(match?.params).toEqual({ service, id: ID });
    }
    expect(matchRoute('GET', '/crm/admin/services/gateway/dead-letters')).toBeUndefined();
    expect(matchRoute('GET', '/crm/admin/services/nope/dead-letters')).toBeUndefined();
  });

  it('returns undefined for an unknown path', () => {
    expect(matchRoute('GET', '/crm/unknown')).toBeUndefined();
    expect(matchRoute('GET', '/customers')).toBeUndefined();
    expect(matchRoute('GET', `/crm/customers/${ID}/timeline/extra`)).toBeUndefined();
    expect(matchRoute('GET', '/crm/customers//timeline')).toBeUndefined();
    expect(matchRoute('GET', '/crm/customers/%E0%A4%A')).toBeUndefined();
  });

  it('returns undefined on a method mismatch and lists the allowed methods', () => {
    expect(matchRoute('DELETE', `/crm/customers/${ID}`)).toBeUndefined();
    expect(matchRoute('PUT', '/crm/customers')).toBeUndefined();
    expect(allowedMethods(`/crm/customers/${ID}`)).toEqual(['get', 'put', 'patch']);
    expect(allowedMethods('/crm/customers')).toEqual(['get', 'post']);
    expect(allowedMethods('/crm/nothing')).toEqual([]);
  });

  it('lets literal segments win over parameters, whatever the declaration order', () => {
    const matcher = createRouteMatcher([
      route('getThing', 'get', '/crm/things/{id}'),
      route('thingOwners', 'get', '/crm/things/{id}/owners'),
      route('searchThings', 'get', '/crm/things/search'),
      route('ownerSearch', 'get', '/crm/things/{id}/owners/search'),
      route('ownersOfFirst', 'get', '/crm/things/first/owners'),
    ]);
    expect(matcher.match('GET', '/crm/things/search')?.route.id).toBe('searchThings');
    expect(matcher.match('GET', '/crm/things/other')?.route.id).toBe('getThing');
    expect(matcher.match('GET', '/crm/things/first/owners')?.route.id).toBe('ownersOfFirst');
    expect(matcher.match('GET', '/crm/things/second/owners')?.route.id).toBe('thingOwners');
    expect(matcher.match('GET', '/crm/things/x/owners/search')?.route.id).toBe('ownerSearch');
  });
});

describe('ROUTES', () => {
  it('has unique operation ids and unique method + path pairs', () => {
    expect(new Set(ROUTES.map((r) => r.id)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
  });

  it.each(ROUTES.map((r) => [r.id, r] as const))(
    '%s declares exactly its path parameters',
    (_id, r: RouteDefinition) => {
      const inPath = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(Object.keys(r.request.params?.shape ?? {})).toEqual(inPath);
    },
  );

  it.each(ROUTES.map((r) => [r.id, r] as const))(
    '%s answers errors as problem+json, 401 (and 403 where a role applies) included',
    (_id, r: RouteDefinition) => {
      // A signed webhook has no roles to refuse; a wrong signature is its 401. An open route
      // refuses no one.
      const refusals = r.auth === 'signature' ? ['401'] : r.auth === 'none' ? [] : ['401', '403'];
      expect(Object.keys(r.responses)).toEqual(expect.arrayContaining(refusals));
      for (const [status, response] of Object.entries(r.responses)) {
        if (Number(status) < 400) continue;
        expect(response.contentType).toBe(PROBLEM_CONTENT_TYPE);
        expect(response.schema).toBe(Problem);
      }
    },
  );

  it('keeps admin routes to admins', () => {
    for (const r of ROUTES.filter((r) => r.path.startsWith('/crm/admin/'))) {
      expect(r.roles).toEqual(['admin']);
    }
  });

  it('parses request headers as Node delivers them, in lower case', () => {
    const create = getRoute('createCustomer');
    expect(create.request.headers.parse({ 'idempotency-key': 'k-1' })).toEqual({
      'idempotency-key': 'k-1',
    });
    const update = getRoute('updateCustomer');
    expect(update.request.headers.safeParse({ 'if-match': '"3"' }).success).toBe(true);
    // What the kit's If-Match check understands: `*`, weak tags and lists.
    for (const ok of ['W/"3"', '*', '"2", "3"']) {
      expect(update.request.headers.safeParse({ 'if-match': ok }).success, ok).toBe(true);
    }
    for (const bad of ['3', '"three"', '"3" junk']) {
      expect(update.request.headers.safeParse({ 'if-match': bad }).success, bad).toBe(false);
    }
  });

  it('gives the schemas of a route by its id', () => {
    const list = getRoute('listCustomers');
    const query: z.infer<typeof list.request.query> = list.request.query.parse({ limit: '10' });
    expect(query.limit).toBe(10);
  });
});
