import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../src/domain/routing.js';

const ID = '0193a000-0000-7000-8000-0000000000c1';

describe('resolveTarget', () => {
  it('sends a customer route to profiles and a timeline to interactions', () => {
    expect(resolveTarget('GET', '/crm/customers?limit=5')).toEqual({
      kind: 'upstream',
      service: 'profiles',
      routeId: 'listCustomers',
      auth: 'jwt',
      roles: ['admin', 'manager', 'staff', 'sales_rep'],
      upload: false,
    });
    expect(resolveTarget('PATCH', `/crm/customers/${ID}`)).toMatchObject({
      service: 'profiles',
    });
    expect(resolveTarget('GET', `/crm/customers/${ID}/timeline`)).toMatchObject({
      kind: 'upstream',
      service: 'interactions',
    });
  });

  it('marks the routes that take a raw upload', () => {
    expect(resolveTarget('POST', '/crm/customers/imports')).toMatchObject({
      service: 'profiles',
      upload: true,
    });
    expect(resolveTarget('POST', '/crm/customers')).toMatchObject({ upload: false });
  });

  it('marks the signed ingest and the beacon as routes without a JWT', () => {
    expect(resolveTarget('POST', '/crm/ingest/bookingx')).toMatchObject({
      service: 'interactions',
      auth: 'signature',
    });
    expect(resolveTarget('POST', '/crm/track')).toMatchObject({ auth: 'tracking_key' });
  });

  it('sends an admin route to the service its path names', () => {
    expect(resolveTarget('GET', '/crm/admin/services/comms/dead-letters')).toEqual({
      kind: 'upstream',
      service: 'comms',
      routeId: 'listDeadLetters',
      auth: 'jwt',
      roles: ['admin'],
      upload: false,
    });
    expect(
      resolveTarget('POST', `/crm/admin/services/notes-tasks/dead-letters/${ID}/replay`),
    ).toMatchObject({ service: 'notes-tasks' });
  });

  it('knows no admin route for a service that is not behind the gateway', () => {
    expect(resolveTarget('GET', '/crm/admin/services/gateway/dead-letters').kind).toBe('not_found');
    expect(resolveTarget('GET', '/crm/admin/services/nope/dead-letters').kind).toBe('not_found');
  });

  it('answers an unknown path with not_found and a known one with the methods it allows', () => {
    expect(resolveTarget('GET', '/crm/nothing-here')).toEqual({ kind: 'not_found' });
    expect(resolveTarget('DELETE', '/crm/customers')).toEqual({
      kind: 'method_not_allowed',
      allow: ['GET', 'POST'],
    });
    expect(resolveTarget('DELETE', `/crm/customers/${ID}?x=1`)).toEqual({
      kind: 'method_not_allowed',
      allow: ['GET', 'PUT', 'PATCH'],
    });
    expect(resolveTarget('PUT', `/crm/customers/${ID}`).kind).toBe('upstream');
  });

  it('refuses dot segments, which an upstream would resolve into another path', () => {
    expect(resolveTarget('GET', '/crm/customers/..').kind).toBe('not_found');
    expect(resolveTarget('GET', '/crm/customers/%2E%2e').kind).toBe('not_found');
    expect(resolveTarget('GET', '/crm/customers/./timeline').kind).toBe('not_found');
    expect(resolveTarget('GET', `/crm/customers/${ID}`).kind).toBe('upstream');
  });
});
