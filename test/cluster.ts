import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import openapi from '@crm/contracts/generated/openapi.json' with { type: 'json' };
import { createLogger, createMetrics, createVerifier, listen, loadConfig } from '@crm/service-kit';
import { startTestService, testEnv } from '@crm/testing';
import { buildApp } from '../services/gateway/src/service.js';
import { closeUpstreams, createUpstreams } from '../services/gateway/src/clients/upstreams.js';
import { GatewayConfig } from '../services/gateway/src/config.js';
import { interactionsService } from '../services/interactions/src/service.js';
import { profilesService } from '../services/profiles/src/service.js';

/** A loopback port nothing listens on (1 is privileged). */
export const CLOSED_UPSTREAM = 'http://127.0.0.1:1';

/** Profiles and interactions in this process; interactions asks this profiles about new customers. */
export async function startProfilesAndInteractions() {
  const profiles = (await startTestService(profilesService)).service;
  const interactions = (
    await startTestService(interactionsService, { env: { PROFILES_URL: profiles.url } })
  ).service;
  return {
    profiles,
    interactions,
    stop: async () => {
      await interactions.stop();
      await profiles.stop();
    },
  };
}

/** Profiles and interactions in this process, behind a real gateway on a free port. */
export async function startCluster(
  gatewayEnv: Record<string, string> = {},
): Promise<{ gatewayUrl: string; stop: () => Promise<void> }> {
  const { profiles, interactions } = await startProfilesAndInteractions();
  const config = loadConfig(
    GatewayConfig,
    testEnv({
      // The services this cluster does not run answer nothing, whatever listens on their
      // default ports on this machine.
      NOTES_TASKS_URL: CLOSED_UPSTREAM,
      COMMS_URL: CLOSED_UPSTREAM,
      SEGMENTS_URL: CLOSED_UPSTREAM,
      AUTOMATION_URL: CLOSED_UPSTREAM,
      ANALYTICS_URL: CLOSED_UPSTREAM,
      PROFILES_URL: profiles.url,
      INTERACTIONS_URL: interactions.url,
      PORT: '0',
      ...gatewayEnv,
    }),
  );
  const metrics = createMetrics('gateway');
  const upstreams = createUpstreams(config, metrics);
  const app = buildApp({
    config,
    logger: createLogger('gateway', config.LOG_LEVEL),
    metrics,
    verify: createVerifier({
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    }),
    upstreams,
    openapi,
  });
  const gateway: Server = await listen(app, 0, '127.0.0.1');
  return {
    gatewayUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
    stop: async () => {
      await new Promise((r) => gateway.close(r));
      await closeUpstreams(upstreams);
      await profiles.stop();
      await interactions.stop();
    },
  };
}
