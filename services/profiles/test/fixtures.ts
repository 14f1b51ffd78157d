import type { Customer } from '@crm/contracts';
import { afterAll, beforeAll } from 'vitest';
import { api, createCustomer, useBus, useService } from '@crm/testing';
import { profilesService } from '../src/service.js';
import { startMeiliStandIn } from './meili-stand-in.js';

/**
 * At the top of a test file: the profiles service started for its tests, the bus to publish
 * to it and listen to it, and `create`, which creates a customer through the API as `token`
 * (a `buildCustomer` body with `overrides`) and fails unless that answers 201.
 */
export function useProfiles() {
  const svc = useService(profilesService);
  const bus = useBus();
  const create = (token: string, overrides: Record<string, unknown> = {}): Promise<Customer> =>
    createCustomer(api(svc.url).as(token), overrides);
  return { svc, bus, create };
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
