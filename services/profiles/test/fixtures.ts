import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CloudEvent, Customer, CustomFieldDefinition } from '@crm/contracts';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { api, createCustomer, TEST_JWT_SECRET, useBus, useService, waitFor } from '@crm/testing';
import type { SearchDocument, SearchIndex } from '../src/domain/search/search-index.js';
import { profilesService } from '../src/service.js';
import { startMeiliStandIn } from './meili-stand-in.js';

/**
 * At the top of a test file: the profiles service started for its tests, the bus to publish
 * to it and listen to it, and through the API as `token`:
 * - `create`, which creates a customer (a `buildCustomer` body with `overrides`);
 * - `defineField`, which defines a custom field (the label defaults to the name), and
 *   `defineFields`, which defines several in the order given;
 * each fails unless the service answers 201.
 */
export function useProfiles() {
  const svc = useService(profilesService);
  const bus = useBus();
  const create = (token: string, overrides: Record<string, unknown> = {}): Promise<Customer> =>
    createCustomer(api(svc.url).as(token), overrides);
  const defineField = async (
    token: string,
    body: Record<string, unknown>,
  ): Promise<CustomFieldDefinition> => {
    const r = await api(svc.url)
      .as(token)
      .post<CustomFieldDefinition>('/crm/custom-fields', {
        field_label: String(body.field_name),
        ...body,
      });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const defineFields = async (token: string, ...bodies: Record<string, unknown>[]) => {
    for (const body of bodies) await defineField(token, body);
  };
  return { svc, bus, create, defineField, defineFields };
}

/** Options of a select field, each labelled with its value capitalised. */
export function choices(...values: string[]): { value: string; label: string }[] {
  return values.map((value) => ({ value, label: value.charAt(0).toUpperCase() + value.slice(1) }));
}

/**
 * Waits until `listener` has heard at least `count` stage or assignment changes of `tenant`'s
 * customers made after they were created (sequence above 1), and returns them in order.
 */
export async function stageAndAssignmentChanges(
  listener: { events: CloudEvent[] },
  tenant: string,
  count: number,
): Promise<CloudEvent[]> {
  const types = ['crm.customer.stage_changed.v1', 'crm.customer.assignment.changed.v1'];
  return waitFor(
    () => {
      const changes = listener.events.filter(
        (e) => e.tenantid === tenant && types.includes(e.type) && Number(e.sequence) > 1,
      );
      return changes.length >= count && changes;
    },
    { what: `${count} stage or assignment changes` },
  );
}

/**
 * Runs the `verify-audit` command line against the test database for `tenant`, as an operator
 * would; rejects with the process's `code` and `stdout` when it exits non-zero.
 */
export function verifyAuditCli(tenant: string): Promise<{ stdout: string }> {
  const cli = fileURLToPath(new URL('../src/cli/verify-audit.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
  return promisify(execFile)(tsx, ['--conditions=source', cli, '--tenant', tenant], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
    },
  });
}

export type MeiliStandIn = Awaited<ReturnType<typeof startMeiliStandIn>>;

/**
 * At the top of a test file: the profiles service searching a loopback Meilisearch stand-in
 * under `index`. The stand-in starts before the service and closes after the file's tests.
 */
export function useProfilesOnMeiliStandIn(index: string) {
  let started: MeiliStandIn | undefined;
  const standIn = (): MeiliStandIn => {
    if (!started) throw new Error('the Meilisearch stand-in starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    started = await startMeiliStandIn();
  });
  afterAll(async () => {
    await started?.close();
  });
  const svc = useService(profilesService, {
    env: () => ({ MEILI_URL: standIn().url, MEILI_INDEX: index }),
  });
  return {
    svc,
    /** The running stand-in, with the requests it recorded and the documents it keeps. */
    get standIn(): MeiliStandIn {
      return standIn();
    },
  };
}

/**
 * `index` as a reindex sees it, except that `beforeFirstBatch` runs once, with the documents
 * of the first batch, before that batch is written: the moment a test makes something happen
 * while a batch is in flight.
 */
export function withFirstBatchHook(
  index: SearchIndex,
  beforeFirstBatch: (docs: SearchDocument[]) => Promise<void>,
): SearchIndex {
  let hooked = false;
  return {
    engine: index.engine,
    start: () => index.start(),
    upsert: (tx, doc) => index.upsert(tx, doc),
    remove: (tx, tenantId, ids) => index.remove(tx, tenantId, ids),
    search: (req) => index.search(req),
    async upsertMany(tx, docs) {
      if (!hooked) {
        hooked = true;
        await beforeFirstBatch(docs);
      }
      await index.upsertMany(tx, docs);
    },
  };
}
