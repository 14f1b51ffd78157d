import openapi from '@crm/contracts/generated/openapi.json' with { type: 'json' };
import { BACKEND_SERVICES, gatewayRoutes as routes } from '@crm/contracts';
import { handle, reply, type Logger, type ServiceDefinition } from '@crm/service-kit';
import { Router } from 'express';
import { closeUpstreams, createUpstreams, type Upstreams } from './clients/upstreams.js';
import { GatewayConfig } from './config.js';
import { MembersRepository } from './db/members.repository.js';
import { migrationsFolder } from './db/migrations-folder.js';
import { gateway } from './db/schema.js';
import { TeamsRepository } from './db/teams.repository.js';
import { TenantSettingsRepository } from './db/tenant-settings.repository.js';
import { signDemoToken, type DevTokenDeps } from './domain/dev/sign-dev-token.js';
import { getTenantSettings } from './domain/settings/get-tenant-settings.js';
import { putTenantSettings } from './domain/settings/put-tenant-settings.js';
import { canonical, type SettingsDeps } from './domain/settings/tenant-settings.js';
import { addTeamMember } from './domain/team/add-team-member.js';
import { admitMember } from './domain/team/admit-member.js';
import { createTeam } from './domain/team/create-team.js';
import { deleteTeam } from './domain/team/delete-team.js';
import { getTeam } from './domain/team/get-team.js';
import { getTeamMember } from './domain/team/get-team-member.js';
import { listTeamMembers } from './domain/team/list-team-members.js';
import { listTeams } from './domain/team/list-teams.js';
import { SeenMembers } from './domain/team/seen-members.js';
import { setTeamMembers } from './domain/team/set-team-members.js';
import type { TeamDeps } from './domain/team/team-deps.js';
import { updateTeam } from './domain/team/update-team.js';
import { updateTeamMember } from './domain/team/update-team-member.js';
import { admission } from './http/admission.js';
import { consoleRouter } from './http/console.js';
import { corsFor } from './http/cors.js';
import { docsRouter } from './http/docs.js';
import { proxyRouter } from './http/proxy.js';
import { rateLimiter } from './http/rate-limit.js';

export interface GatewayDeps {
  upstreams: Upstreams;
  team: TeamDeps;
  settings: SettingsDeps;
  /** Null unless development tokens are on (`DEV_TOKENS` with `JWT_SECRET`). */
  devTokens: DevTokenDeps | null;
}

/** The development token route, only where tokens are verified with the HS256 secret. */
function devTokensOf(config: GatewayConfig, logger: Logger, clock: () => Date) {
  if (!config.DEV_TOKENS || config.DEV_TENANT_ID === undefined) return null;
  if (config.JWT_JWKS_URL !== undefined || config.JWT_SECRET === undefined) {
    logger.warn('DEV_TOKENS is ignored: tokens are verified with JWT_JWKS_URL, not JWT_SECRET');
    return null;
  }
  return {
    secret: config.JWT_SECRET,
    tenantId: config.DEV_TENANT_ID,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    clock,
  };
}

/**
 * The one entry point: CORS, rate limit, docs and the proxy to the service that owns each
 * route see every request first; the gateway's own routes (the staff directory, the tenant
 * settings) follow.
 */
export const gatewayService: ServiceDefinition<GatewayConfig, GatewayDeps> = {
  name: 'gateway',
  schema: gateway,
  migrationsFolder,
  config: GatewayConfig,
  defaultPort: 8080,
  build: ({ config, database, outbox, metrics, logger }) => {
    const clock = () => new Date();
    return {
      upstreams: createUpstreams(config, metrics),
      team: {
        db: database.db,
        outbox,
        members: new MembersRepository(),
        teams: new TeamsRepository(),
        seen: new SeenMembers(config.TEAM_SEEN_INTERVAL_MS, clock, logger),
        clock,
      },
      settings: {
        db: database.db,
        outbox,
        settings: new TenantSettingsRepository(),
        defaults: canonical({
          locale: config.TENANT_LOCALE,
          timezone: config.TENANT_TIMEZONE,
          currency: config.TENANT_CURRENCY,
        }),
        clock,
      },
      devTokens: devTokensOf(config, logger, clock),
    };
  },
  edge: (deps, { config, verify }, served) => {
    const edge = Router();
    edge.use(consoleRouter(config.CONSOLE_DIR));
    if (config.CORS_ORIGINS.length > 0) edge.use('/crm', corsFor(config.CORS_ORIGINS));
    edge.use('/crm', rateLimiter(config.RATE_LIMIT_PER_MINUTE, verify));
    edge.use(docsRouter(openapi));
    edge.use(
      proxyRouter({
        upstreams: deps.upstreams,
        verify,
        bodyLimit: config.BODY_LIMIT,
        uploadLimit: config.UPLOAD_BODY_LIMIT,
        served: new Set(served.map((b) => b.route.id)),
        admit: (principal) => admitMember(deps.team, principal),
      }),
    );
    return [edge];
  },
  admit: (deps) => admission(deps.team),
  // An upstream that is down is reported, not fatal: the gateway still answers for the others.
  readiness: (deps) =>
    Object.fromEntries(
      BACKEND_SERVICES.map((service) => [
        `upstream:${service}`,
        () => `breaker ${deps.upstreams[service].state}`,
      ]),
    ),
  routes: ({ team, settings, devTokens }) => [
    handle(routes.listTeamMembers, ({ principal, query }) =>
      listTeamMembers(team, principal, query),
    ),
    handle(routes.getTeamMember, ({ principal, params }) =>
      getTeamMember(team, principal, params.id),
    ),
    handle(routes.addTeamMember, async ({ principal, body }) => {
      const member = await addTeamMember(team, principal, body);
      return reply(member, { location: `/crm/team/members/${encodeURIComponent(member.id)}` });
    }),
    handle(routes.updateTeamMember, ({ principal, params, body, headers }) =>
      updateTeamMember(team, principal, params.id, body, headers['if-match']),
    ),
    handle(routes.listTeams, ({ principal, query }) => listTeams(team, principal, query)),
    handle(routes.createTeam, async ({ principal, body }) => {
      const created = await createTeam(team, principal, body);
      return reply(created, { location: `/crm/team/teams/${encodeURIComponent(created.id)}` });
    }),
    handle(routes.getTeam, ({ principal, params }) => getTeam(team, principal, params.id)),
    handle(routes.updateTeam, ({ principal, params, body, headers }) =>
      updateTeam(team, principal, params.id, body, headers['if-match']),
    ),
    handle(routes.deleteTeam, ({ principal, params, headers }) =>
      deleteTeam(team, principal, params.id, headers['if-match']),
    ),
    handle(routes.setTeamMembers, ({ principal, params, body, headers }) =>
      setTeamMembers(team, principal, params.id, body, headers['if-match']),
    ),
    handle(routes.getTenantSettings, ({ principal }) => getTenantSettings(settings, principal)),
    handle(routes.putTenantSettings, ({ principal, body, headers }) =>
      putTenantSettings(settings, principal, body, headers['if-match']),
    ),
    ...(devTokens
      ? [handle(routes.createDevToken, ({ body }) => signDemoToken(devTokens, body))]
      : []),
  ],
  stop: (deps) => closeUpstreams(deps.upstreams),
};
