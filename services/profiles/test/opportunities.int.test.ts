import type { Customer, Opportunity, OpportunityStages, Page, Problem } from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestService, tokenFor } from '../../../test/support/services.js';
import type { ProfilesConfig } from '../src/config.js';
import { migrationsFolder } from '../src/db/migrations-folder.js';
import { profilesService, type ProfilesDeps } from '../src/service.js';
import { buildCustomerBody, newTenant } from './factories.js';

let svc: RunningService<ProfilesConfig, ProfilesDeps>;

beforeAll(async () => {
  svc = await startTestService(profilesService, migrationsFolder);
});

afterAll(async () => {
  await svc.stop();
});

async function customer(token: string, body: Record<string, unknown> = {}) {
  const r = await call<Customer>(svc.url, 'POST', '/crm/customers', {
    token,
    body: buildCustomerBody(body),
  });
  expect(r.status).toBe(201);
  return r.body;
}

const eur = (amount_minor: number) => ({ amount_minor, currency: 'EUR' });

describe('opportunities', () => {
  it('opens, moves, wins and loses opportunities, listed per customer and per stage with totals', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' });
    const c = await customer(admin, { owner_id: 'rep-1' });
    const open = async (title: string, value: number, extra: Record<string, unknown> = {}) => {
      const r = await call<Opportunity>(svc.url, 'POST', `/crm/customers/${c.id}/opportunities`, {
        token: rep,
        body: { title, value: eur(value), ...extra },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    };
    const a = await open('Wedding package', 120000, { expected_close_date: '2026-12-24' });
    expect(a).toMatchObject({
      stage: 'qualification',
      status: 'open',
      owner_id: 'rep-1',
      version: 1,
    });
    const b = await open('Annual membership', 50000, { stage: 'proposal' });
    await open('Gift cards', 8000);

    const moved = await call<Opportunity>(svc.url, 'PATCH', `/crm/opportunities/${a.id}`, {
      token: rep,
      body: { stage: 'negotiation', value: eur(110000) },
      headers: { 'if-match': '"1"' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ stage: 'negotiation', value: eur(110000), version: 2 });
    const stale = await call<Problem>(svc.url, 'PATCH', `/crm/opportunities/${a.id}`, {
      token: rep,
      body: { title: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);

    const noReason = await call<Problem>(svc.url, 'PATCH', `/crm/opportunities/${b.id}`, {
      token: rep,
      body: { status: 'lost' },
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors?.[0]?.field).toBe('lost_reason');
    const lost = await call<Opportunity>(svc.url, 'PATCH', `/crm/opportunities/${b.id}`, {
      token: rep,
      body: { status: 'lost', lost_reason: 'Chose a competitor' },
    });
    expect(lost.body).toMatchObject({ status: 'lost', lost_reason: 'Chose a competitor' });
    expect(lost.body.closed_at).not.toBeNull();
    const won = await call<Opportunity>(svc.url, 'PATCH', `/crm/opportunities/${a.id}`, {
      token: rep,
      body: { status: 'won' },
    });
    expect(won.body).toMatchObject({ status: 'won', lost_reason: null });

    const perCustomer = await call<Page<Opportunity>>(
      svc.url,
      'GET',
      `/crm/customers/${c.id}/opportunities?limit=2`,
      {
        token: rep,
      },
    );
    expect(perCustomer.body.data.map((o) => o.title)).toEqual(['Gift cards', 'Annual membership']);
    const rest = await call<Page<Opportunity>>(
      svc.url,
      'GET',
      `/crm/customers/${c.id}/opportunities?limit=2&cursor=${encodeURIComponent(perCustomer.body.next_cursor ?? '')}`,
      { token: rep },
    );
    expect(rest.body.data.map((o) => o.title)).toEqual(['Wedding package']);
    const openOnes = await call<Page<Opportunity>>(
      svc.url,
      'GET',
      '/crm/opportunities?status=open&stage=qualification',
      {
        token: admin,
      },
    );
    expect(openOnes.body.data.map((o) => o.title)).toEqual(['Gift cards']);

    const stages = await call<OpportunityStages>(svc.url, 'GET', '/crm/opportunity-stages', {
      token: rep,
    });
    expect(stages.headers.get('etag')).toBe('"1"');
    expect(stages.body.totals).toEqual([
      { stage: 'qualification', open_count: 1, open_value: [eur(8000)] },
      { stage: 'proposal', open_count: 0, open_value: [] },
      { stage: 'negotiation', open_count: 0, open_value: [] },
    ]);

    const replaced = await call<OpportunityStages>(svc.url, 'PUT', '/crm/opportunity-stages', {
      token: admin,
      body: {
        stages: [
          { key: 'lead', label: 'Lead' },
          { key: 'quote', label: 'Quote sent' },
        ],
      },
      headers: { 'if-match': '"1"' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    const unknownStage = await call<Problem>(
      svc.url,
      'POST',
      `/crm/customers/${c.id}/opportunities`,
      {
        token: rep,
        body: { title: 'x', value: eur(1), stage: 'proposal' },
      },
    );
    expect(unknownStage.status).toBe(422);
    expect(unknownStage.body.errors?.[0]).toMatchObject({ field: 'stage', code: 'unknown_stage' });
    expect(
      (
        await call(svc.url, 'PUT', '/crm/opportunity-stages', {
          token: rep,
          body: { stages: [{ key: 'a', label: 'A' }] },
        })
      ).status,
    ).toBe(403);
  });

  it('refuses bad input and keeps each role to its customers', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const mine = await customer(admin, { owner_id: 'rep-1' });
    const theirs = await customer(admin, { owner_id: 'rep-2' });
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' });
    for (const body of [
      { title: '', value: eur(1) },
      { title: 'x', value: { amount_minor: 1.5, currency: 'EUR' } },
      { title: 'x', value: { amount_minor: 1, currency: 'euro' } },
      { title: 'x', value: eur(1), expected_close_date: '2026-02-30' },
      { title: 'x', value: eur(1), probability: 50 },
    ]) {
      const r = await call(svc.url, 'POST', `/crm/customers/${mine.id}/opportunities`, {
        token: rep,
        body,
      });
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    const theirsOpp = await call<Opportunity>(
      svc.url,
      'POST',
      `/crm/customers/${theirs.id}/opportunities`,
      {
        token: admin,
        body: { title: 'Theirs', value: eur(100) },
      },
    );
    expect(
      (
        await call(svc.url, 'POST', `/crm/customers/${theirs.id}/opportunities`, {
          token: rep,
          body: { title: 'x', value: eur(1) },
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(svc.url, 'GET', `/crm/opportunities/${theirsOpp.body.id}`, { token: rep }))
        .status,
    ).toBe(404);
    expect(
      (
        await call(svc.url, 'PATCH', `/crm/opportunities/${theirsOpp.body.id}`, {
          token: rep,
          body: { title: 'y' },
        })
      ).status,
    ).toBe(404);
    const repList = await call<Page<Opportunity>>(svc.url, 'GET', '/crm/opportunities', {
      token: rep,
    });
    expect(repList.body.data).toEqual([]);
    const manager = await tokenFor(tenant, 'manager', { sub: 'rep-2' });
    expect(
      (await call(svc.url, 'GET', `/crm/opportunities/${theirsOpp.body.id}`, { token: manager }))
        .status,
    ).toBe(200);
    for (const role of ['staff', 'customer'] as const) {
      const token = await tokenFor(tenant, role, {
        sub: role === 'customer' ? theirs.id : 'rep-2',
      });
      expect((await call(svc.url, 'GET', '/crm/opportunities', { token })).status).toBe(403);
      expect(
        (await call(svc.url, 'GET', `/crm/opportunities/${theirsOpp.body.id}`, { token })).status,
      ).toBe(403);
      expect((await call(svc.url, 'GET', '/crm/opportunity-stages', { token })).status).toBe(403);
    }
    const stranger = await tokenFor(newTenant(), 'admin');
    expect(
      (await call(svc.url, 'GET', `/crm/opportunities/${theirsOpp.body.id}`, { token: stranger }))
        .status,
    ).toBe(404);
    expect(
      (await call<Page<Opportunity>>(svc.url, 'GET', '/crm/opportunities', { token: stranger }))
        .body.data,
    ).toEqual([]);
    const notLost = await call<Problem>(
      svc.url,
      'PATCH',
      `/crm/opportunities/${theirsOpp.body.id}`,
      {
        token: admin,
        body: { lost_reason: 'why not' },
      },
    );
    expect(notLost.status).toBe(422);
  });
});
