import { BACKEND_SERVICES, type BackendService } from '@crm/contracts';
import { Upstream, type Metrics } from '@crm/service-kit';
import type { GatewayConfig } from '../config.js';

export type Upstreams = Readonly<Record<BackendService, Upstream>>;

export function upstreamUrls(config: GatewayConfig): Record<BackendService, string> {
  return {
    profiles: config.PROFILES_URL,
    interactions: config.INTERACTIONS_URL,
    'notes-tasks': config.NOTES_TASKS_URL,
    comms: config.COMMS_URL,
    segments: config.SEGMENTS_URL,
    automation: config.AUTOMATION_URL,
    analytics: config.ANALYTICS_URL,
  };
}

/** One keep-alive pool and one breaker per service, so one slow service cannot starve the rest. */
export function createUpstreams(config: GatewayConfig, metrics?: Metrics): Upstreams {
  const urls = upstreamUrls(config);
  const entries = BACKEND_SERVICES.map(
    (service) =>
      [
        service,
        new Upstream({
          name: service,
          baseUrl: urls[service],
          timeoutMs: config.UPSTREAM_TIMEOUT_MS,
          resetTimeoutMs: config.BREAKER_RESET_MS,
          metrics,
        }),
      ] as const,
  );
  return Object.fromEntries(entries) as Record<BackendService, Upstream>;
}

export async function closeUpstreams(upstreams: Upstreams): Promise<void> {
  await Promise.all(Object.values(upstreams).map((upstream) => upstream.close()));
}
