import { startTestService } from '@crm/testing';
import { gatewayService } from '../services/gateway/src/service.js';
import { interactionsService } from '../services/interactions/src/service.js';
import { profilesService } from '../services/profiles/src/service.js';

/** A loopback port nothing listens on (1 is privileged). */
export const CLOSED_UPSTREAM = 'http://127.0.0.1:1';

/** The tenant the cluster's `POST /crm/dev/token` signs tokens for. */
export const DEV_TENANT_ID = '0193d000-0000-7000-8000-00000000de70';

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
  const gateway = await startTestService(gatewayService, {
    env: {
      // The services this cluster does not run answer nothing, whatever listens on their
      // default ports on this machine.
      NOTES_TASKS_URL: CLOSED_UPSTREAM,
      COMMS_URL: CLOSED_UPSTREAM,
      SEGMENTS_URL: CLOSED_UPSTREAM,
      AUTOMATION_URL: CLOSED_UPSTREAM,
      ANALYTICS_URL: CLOSED_UPSTREAM,
      PROFILES_URL: profiles.url,
      INTERACTIONS_URL: interactions.url,
      DEV_TOKENS: 'true',
      DEV_TENANT_ID: DEV_TENANT_ID,
      ...gatewayEnv,
    },
  });
  return {
    gatewayUrl: gateway.service.url,
    stop: async () => {
      await gateway.stop();
      await profiles.stop();
      await interactions.stop();
    },
  };
}
