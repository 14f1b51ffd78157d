import type { Customer, Opportunity, OpportunityStages, Page, Problem } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, newTenant, tokenFor, useService } from '@crm/testing';
import { profilesService } from '../src/service.js';

const svc = useService(profilesService);

async function customer(token: string, body: Record<string, unknown> = {}) {
  const r = await api(svc.url).as(token).post<Customer>('/crm/customers', buildCustomer(body));
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
      const r = await api(svc.url)
        .as(rep)
        .post<Opportunity>(`/crm/customers/${c.id}/opportunities`, {
          title,
          value: eur(value),
          ...extra,
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

    const moved = await api(svc.url)
      .as(rep)
      .patch<Opportunity>(
        `/crm/opportunities/${a.id}`,
        { stage: 'negotiation', value: eur(110000) },
        { headers: { 'if-match': '"1"' } },
      );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ stage: 'negotiation', value: eur(110000), version: 2 });
    const stale = await api(svc.url)
      .as(rep)
      .patch<Problem>(
        `/crm/opportunities/${a.id}`,
        { title: 'x' },
        { headers: { 'if-match': '"1"' } },
      );
    expect(stale.status).toBe(412);

    const noReason = await api(svc.url)
      .as(rep)
      .patch<Problem>(`/crm/opportunities/${b.id}`, { status: 'lost' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors?.[0]?.field).toBe('lost_reason');
    const lost = await api(svc.url).as(rep).patch<Opportunity>(`/crm/opportunities/${b.id}`, {
      status: 'lost',
      lost_reason: 'Chose a competitor',
    });
    expect(lost.body).toMatchObject({ status: 'lost', lost_reason: 'Chose a competitor' });
    expect(lost.body.closed_at).not.toBeNull();
    const won = await api(svc.url)
      .as(rep)
      .patch<Opportunity>(`/crm/opportunities/${a.id}`, { status: 'won' });
    expect(won.body).toMatchObject({ status: 'won', lost_reason: null });

    const perCustomer = await api(svc.url)
      .as(rep)
      .get<Page<Opportunity>>(`/crm/customers/${c.id}/opportunities?limit=2`);
    expect(perCustomer.body.data.map((o) => o.title)).toEqual(['Gift cards', 'Annual membership']);
    const rest = await api(svc.url)
      .as(rep)
      .get<Page<Opportunity>>(
        `/crm/customers/${c.id}/opportunities?limit=2&cursor=${encodeURIComponent(perCustomer.body.next_cursor ?? '')}`,
      );
    expect(rest.body.data.map((o) => o.title)).toEqual(['Wedding package']);
    const openOnes = await api(svc.url)
      .as(admin)
      .get<Page<Opportunity>>('/crm/opportunities?status=open&stage=qualification');
    expect(openOnes.body.data.map((o) => o.title)).toEqual(['Gift cards']);

    const stages = await api(svc.url).as(rep).get<OpportunityStages>('/crm/opportunity-stages');
    expect(stages.headers.get('etag')).toBe('"1"');
    expect(stages.body.totals).toEqual([
      { stage: 'qualification', open_count: 1, open_value: [eur(8000)] },
      { stage: 'proposal', open_count: 0, open_value: [] },
      { stage: 'negotiation', open_count: 0, open_value: [] },
    ]);

    const replaced = await api(svc.url)
      .as(admin)
      .put<OpportunityStages>(
        '/crm/opportunity-stages',
        {
          stages: [
            { key: 'lead', label: 'Lead' },
            { key: 'quote', label: 'Quote sent' },
          ],
        },
        { headers: { 'if-match': '"1"' } },
      );
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    const unknownStage = await api(svc.url)
      .as(rep)
      .post<Problem>(`/crm/customers/${c.id}/opportunities`, {
        title: 'x',
        value: eur(1),
        stage: 'proposal',
      });
    expect(unknownStage.status).toBe(422);
    expect(unknownStage.body.errors?.[0]).toMatchObject({ field: 'stage', code: 'unknown_stage' });
    expect(
      (
        await api(svc.url)
          .as(rep)
          .put('/crm/opportunity-stages', { stages: [{ key: 'a', label: 'A' }] })
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
      const r = await api(svc.url).as(rep).post(`/crm/customers/${mine.id}/opportunities`, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    const theirsOpp = await api(svc.url)
      .as(admin)
      .post<Opportunity>(`/crm/customers/${theirs.id}/opportunities`, {
        title: 'Theirs',
        value: eur(100),
      });
    expect(
      (
        await api(svc.url)
          .as(rep)
          .post(`/crm/customers/${theirs.id}/opportunities`, { title: 'x', value: eur(1) })
      ).status,
    ).toBe(404);
    expect((await api(svc.url).as(rep).get(`/crm/opportunities/${theirsOpp.body.id}`)).status).toBe(
      404,
    );
    expect(
      (await api(svc.url).as(rep).patch(`/crm/opportunities/${theirsOpp.body.id}`, { title: 'y' }))
        .status,
    ).toBe(404);
    const repList = await api(svc.url).as(rep).get<Page<Opportunity>>('/crm/opportunities');
    expect(repList.body.data).toEqual([]);
    const manager = await tokenFor(tenant, 'manager', { sub: 'rep-2' });
    expect(
      (await api(svc.url).as(manager).get(`/crm/opportunities/${theirsOpp.body.id}`)).status,
    ).toBe(200);
    for (const role of ['staff', 'customer'] as const) {
      const token = await tokenFor(tenant, role, {
        sub: role === 'customer' ? theirs.id : 'rep-2',
      });
      expect((await api(svc.url).as(token).get('/crm/opportunities')).status).toBe(403);
      expect(
        (await api(svc.url).as(token).get(`/crm/opportunities/${theirsOpp.body.id}`)).status,
      ).toBe(403);
      expect((await api(svc.url).as(token).get('/crm/opportunity-stages')).status).toBe(403);
    }
    const stranger = await tokenFor(newTenant(), 'admin');
    expect(
      (await api(svc.url).as(stranger).get(`/crm/opportunities/${theirsOpp.body.id}`)).status,
    ).toBe(404);
    expect(
      (await api(svc.url).as(stranger).get<Page<Opportunity>>('/crm/opportunities')).body.data,
    ).toEqual([]);
    const notLost = await api(svc.url)
      .as(admin)
      .patch<Problem>(`/crm/opportunities/${theirsOpp.body.id}`, { lost_reason: 'why not' });
    expect(notLost.status).toBe(422);
  });
});
