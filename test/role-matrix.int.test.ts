import { randomUUID } from 'node:crypto';
import {
  ROLES,
  ROUTES,
  SERVICE_FROM_PATH,
  isBackendService,
  type RouteDefinition,
} from '@crm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayService } from '../services/gateway/src/service.js';
import { interactionsService } from '../services/interactions/src/service.js';
import { profilesService } from '../services/profiles/src/service.js';
import { api, startTestService, tokenFor } from '@crm/testing';

type Running = Awaited<ReturnType<typeof startTestService>>['service'];
const running: Record<string, Running> = {};

beforeAll(async () => {
  running.profiles = (await startTestService(profilesService)).service;
  running.interactions = (await startTestService(interactionsService)).service;
  // For the gateway's own routes (the staff directory); the ones it forwards are checked at
  // the services that serve them.
  running.gateway = (
    await startTestService(gatewayService, {
      env: { PROFILES_URL: running.profiles.url, INTERACTIONS_URL: running.interactions.url },
    })
  ).service;
});

afterAll(async () => {
  await Promise.all(Object.values(running).map((s) => s.stop()));
});

/**
 * The services that serve a route here: its own, or each running service behind the gateway
 * for `{service}` routes.
 */
function servers(route: RouteDefinition): [string, Running][] {
  return Object.entries(running).filter(([name]) =>
    route.service === SERVICE_FROM_PATH ? isBackendService(name) : route.service === name,
  );
}

function concrete(route: RouteDefinition, service: string): string {
  return route.path.replaceAll('{service}', service).replace(/\{[^}]+\}/g, () => randomUUID());
}

const jwtRoutes = ROUTES.filter((r: RouteDefinition) => r.auth === 'jwt');

describe('the role matrix of the route table', () => {
  it('has a route for every service that is started here', () => {
    for (const name of Object.keys(running)) {
      expect(jwtRoutes.some((r: RouteDefinition) => r.service === name)).toBe(true);
    }
  });

  // A route's declared roles are the whole truth: every other role is refused with 403 before
  // anything is read, and every declared role gets past the role check (whatever the
  // object-level answer for an unknown id, or the validation of an empty body, then is).
  it.each(jwtRoutes.map((r: RouteDefinition) => [`${r.method.toUpperCase()} ${r.path}`, r]))(
    '%s answers each role as declared',
    async (_name, route: RouteDefinition) => {
      const tenant = randomUUID();
      // A route of a service this test does not start would be checked by nothing.
      expect(servers(route).length, `no running service serves ${route.id}`).toBeGreaterThan(0);
      for (const [service, server] of servers(route)) {
        for (const role of ROLES) {
          const sub = role === 'customer' ? randomUUID() : `${role}-${randomUUID().slice(0, 8)}`;
          const token = await tokenFor(tenant, role, { sub });
          const path = concrete(route, service);
          const raw = route.request.bodyContentType !== undefined;
          const res = await api(server.url)
            .as(token)
            .request(route.method.toUpperCase(), path, {
              ...(route.request.body !== undefined && !raw ? { body: {} } : {}),
            });
          const where = `${role} ${route.method.toUpperCase()} ${path}`;
          if (route.roles.includes(role)) {
            expect(res.status, where).not.toBe(403);
            expect(res.status, where).not.toBe(500);
          } else {
            expect(res.status, where).toBe(403);
          }
        }
      }
    },
  );
});
