import { randomUUID } from 'node:crypto';
import type { Page } from '@crm/contracts';
import { PURGE_IDEMPOTENCY_KEYS, type BaseConfig, type ServiceDefinition } from '@crm/service-kit';
import { describe, expect, it } from 'vitest';
import { api, startTestService, tokenFor, waitFor } from '@crm/testing';
import { analyticsService } from '../services/analytics/src/service.js';
import { automationService } from '../services/automation/src/service.js';
import { commsService } from '../services/comms/src/service.js';
import { interactionsService } from '../services/interactions/src/service.js';
import { notesTasksService } from '../services/notes-tasks/src/service.js';
import { profilesService } from '../services/profiles/src/service.js';
import { segmentsService } from '../services/segments/src/service.js';

/** Erases each service's own types: this suite only needs what every service has. */
function entry<C extends BaseConfig, D>(def: ServiceDefinition<C, D>) {
  return {
    name: def.name,
    start: async (): Promise<{ url: string; metricsUrl: string; stop: () => Promise<void> }> =>
      (await startTestService(def)).service,
  };
}

const SERVICES = [
  entry(profilesService),
  entry(interactionsService),
  entry(notesTasksService),
  entry(commsService),
  entry(segmentsService),
  entry(automationService),
  entry(analyticsService),
];

describe('every service boots the same way', () => {
  it.each(SERVICES.map((s) => [s.name, s] as const))(
    '%s: health, readiness, metrics, dead-letter admin, graceful stop',
    async (name, service) => {
      const svc = await service.start();
      try {
        const health = await api(svc.url).get<{ status: string; service: string }>('/healthz');
        expect(health.body).toEqual({ status: 'ok', service: name });
        const ready = await api(svc.url).get<{ status: string; checks: Record<string, string> }>(
          '/readyz',
        );
        expect(ready.status).toBe(200);
        expect(ready.body.checks).toMatchObject({ database: 'ok', broker: 'ok', migrations: 'ok' });
        expect((await fetch(`${svc.url}/metrics`)).status).toBe(404);
        const metrics = await fetch(`${svc.metricsUrl}/metrics`).then((r) => r.text());
        for (const metric of [
          'outbox_pending_events',
          'outbox_oldest_pending_seconds',
          'consumer_queue_depth',
          'http_request_duration_seconds',
        ]) {
          expect(metrics).toContain(metric);
        }
        const tenant = randomUUID();
        const dead = await api(svc.url)
          .as(await tokenFor(tenant, 'admin'))
          .get<Page<unknown>>(`/crm/admin/services/${name}/dead-letters`);
        expect(dead.status).toBe(200);
        expect(dead.body).toEqual({ data: [], next_cursor: null });
        const staff = await api(svc.url)
          .as(await tokenFor(tenant, 'staff'))
          .get(`/crm/admin/services/${name}/dead-letters`);
        expect(staff.status).toBe(403);
      } finally {
        await svc.stop();
      }
      const after = await fetch(`${svc.url}/healthz`).catch(() => null);
      expect(after).toBeNull();
    },
  );

  it('runs scheduled work on pg-boss in its own schema: expired idempotency keys are purged', async () => {
    const svc = (await startTestService(profilesService)).service;
    try {
      const pool = svc.kit.database.pool;
      const tenant = randomUUID();
      await pool.query(
        `INSERT INTO profiles.idempotency_keys (tenant_id, key, method, path, request_hash, status, headers, body, created_at)
         VALUES ($1, 'old-key-123', 'POST', '/crm/customers', 'h', 201, '{}', '{}', now() - interval '2 days'),
                ($1, 'new-key-456', 'POST', '/crm/customers', 'h', 201, '{}', '{}', now())`,
        [tenant],
      );
      await svc.jobs.send(PURGE_IDEMPOTENCY_KEYS, {});
      const keys = await waitFor(
        async () => {
          const { rows } = await pool.query<{ key: string }>(
            'SELECT key FROM profiles.idempotency_keys WHERE tenant_id = $1 ORDER BY key',
            [tenant],
          );
          return rows.length === 1 && rows.map((r) => r.key);
        },
        { what: 'the purge job', timeoutMs: 20_000 },
      );
      expect(keys).toEqual(['new-key-456']);
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'profiles_jobs'`,
      );
      expect(rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await svc.stop();
    }
  });
});
