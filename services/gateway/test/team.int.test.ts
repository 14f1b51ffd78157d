import { randomUUID } from 'node:crypto';
import {
  CRM_EXCHANGE,
  Problem,
  TeamMemberChangedPayload,
  type Team,
  type TeamMember,
  type TeamMemberPage,
  type TeamPage,
} from '@crm/contracts';
import { api, useBus, waitFor, type ApiClient } from '@crm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  startFakeUpstream,
  startTestGateway,
  tokenFor,
  allUpstreamsAt,
  type FakeUpstream,
  type TestGateway,
} from './support.js';

const bus = useBus();
let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(allUpstreamsAt(upstream.url));
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

/** A client of the gateway as the holder of a token with these claims. */
async function as(
  tenant: string,
  role: 'admin' | 'manager' | 'staff' | 'sales_rep' | 'customer',
  claims: { sub?: string; name?: string; email?: string; teams?: string[] } = {},
): Promise<ApiClient> {
  return api(gateway.url).as(await tokenFor(tenant, role, claims));
}

async function member(client: ApiClient, id: string): Promise<TeamMember> {
  const res = await client.get<TeamMember>(`/crm/team/members/${encodeURIComponent(id)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The directory's events about a tenant, from now on. */
async function memberEvents(tenant: string) {
  const listening = await bus.listen(CRM_EXCHANGE, 'crm.team.member.changed.v1');
  return {
    of: () =>
      listening.events
        .filter((e) => e.tenantid === tenant)
        .map((e) => ({ ...TeamMemberChangedPayload.parse(e.data), sequence: e.sequence })),
    close: listening.close,
  };
}

describe('registration at the first request', () => {
  it('adds a staff member from the claims of their token, with their teams', async () => {
    const tenant = randomUUID();
    const grace = await as(tenant, 'sales_rep', {
      sub: 'idp|grace',
      name: 'Grace Hopper',
      email: 'Grace@Example.com',
      teams: ['t-front', 't-back'],
    });
    const page = await grace.get<TeamMemberPage>('/crm/team');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.data[0]).toMatchObject({
      id: 'idp|grace',
      name: 'Grace Hopper',
      email: 'grace@example.com',
      role: 'sales_rep',
      teams: [
        { id: 't-back', name: 't-back' },
        { id: 't-front', name: 't-front' },
      ],
      active: true,
      version: 1,
    });
    expect(page.body.data[0]?.last_seen_at).not.toBeNull();
    // Requests forwarded to a service register the caller just the same.
    const tenantB = randomUUID();
    const proxied = await api(gateway.url)
      .as(await tokenFor(tenantB, 'staff', { sub: 'idp|linus', name: 'Linus' }))
      .get('/crm/customers');
    expect(proxied.status).toBe(200);
    expect((await member(await as(tenantB, 'admin'), 'idp|linus')).name).toBe('Linus');
  });

  it('does not register customers, who may not read the directory', async () => {
    const tenant = randomUUID();
    const customer = await as(tenant, 'customer');
    expect((await customer.get('/crm/team')).status).toBe(403);
    const page = await (
      await as(tenant, 'admin', { sub: 'admin-1' })
    ).get<TeamMemberPage>('/crm/team');
    expect(page.body.data.map((m) => m.id)).toEqual(['admin-1']);
  });

  it('notes the last request at most once per interval, and at every request with a short one', async () => {
    const tenant = randomUUID();
    const ada = await as(tenant, 'staff', { sub: 'ada' });
    const first = await member(ada, 'ada');
    const second = await member(ada, 'ada');
    expect(second.last_seen_at).toBe(first.last_seen_at);

    const eager = await startTestGateway({
      ...allUpstreamsAt(upstream.url),
      TEAM_SEEN_INTERVAL_MS: '1',
    });
    try {
      const client = api(eager.url).as(await tokenFor(tenant, 'staff', { sub: 'ada' }));
      const seen: string[] = [];
      for (let i = 0; i < 3; i++) {
        const read = await client.get<TeamMember>('/crm/team/members/ada');
        seen.push(read.body.last_seen_at ?? '');
      }
      expect(new Set(seen).size).toBeGreaterThan(1);
      expect(seen.every((at) => at >= (first.last_seen_at ?? ''))).toBe(true);
    } finally {
      await eager.close();
    }
  });

  it('applies a claim that changed since it was applied, but keeps what an admin set otherwise', async () => {
    const tenant = randomUUID();
    const admin = await as(tenant, 'admin', { sub: 'boss' });
    await as(tenant, 'staff', { sub: 'kim', name: 'Kim', teams: ['t1'] }).then((c) =>
      c.get('/crm/team'),
    );
    const renamed = await admin.patch<TeamMember>(
      '/crm/team/members/kim',
      { name: 'Kim Lee' },
      { headers: { 'if-match': '"1"' } },
    );
    expect(renamed.status).toBe(200);
    // The same claims again (another replica, a later interval): the admin's name stands.
    const again = await startTestGateway(allUpstreamsAt(upstream.url));
    try {
      const sameClaims = await tokenFor(tenant, 'staff', {
        sub: 'kim',
        name: 'Kim',
        teams: ['t1'],
      });
      expect((await api(again.url).as(sameClaims).get('/crm/team')).status).toBe(200);
      expect((await member(admin, 'kim')).name).toBe('Kim Lee');
      // New claims: the identity provider's word wins for what it changed.
      const promoted = await tokenFor(tenant, 'manager', {
        sub: 'kim',
        name: 'Kim',
        teams: ['t1', 't2'],
      });
      expect((await api(again.url).as(promoted).get('/crm/team')).status).toBe(200);
      const kim = await member(admin, 'kim');
      expect(kim).toMatchObject({ name: 'Kim Lee', role: 'manager', version: 3 });
      expect(kim.teams.map((t) => t.id)).toEqual(['t1', 't2']);
    } finally {
      await again.close();
    }
  });
});

describe('the directory, for admins', () => {
  it('adds, reads and changes members, refusing duplicates, stale versions and bad fields', async () => {
    const tenant = randomUUID();
    const admin = await as(tenant, 'admin', { sub: 'root' });
    const created = await admin.post<TeamMember>('/crm/team/members', {
      id: 'auth0|marie',
      name: 'Marie Curie',
      email: 'marie@example.com',
      role: 'manager',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/crm/team/members/auth0%7Cmarie');
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({
      id: 'auth0|marie',
      role: 'manager',
      teams: [],
      active: true,
      last_seen_at: null,
    });
    const generated = await admin.post<TeamMember>('/crm/team/members', {
      name: 'No Id Yet',
      role: 'staff',
    });
    expect(generated.status).toBe(201);
    expect(generated.body.id).toMatch(/^[0-9a-f-]{36}$/);

    const again = await admin.post('/crm/team/members', {
      name: 'Someone Else',
      email: 'MARIE@example.com',
      role: 'staff',
    });
    expect(again.status).toBe(409);
    expect(Problem.parse(again.body).errors?.[0]).toMatchObject({
      field: 'email',
      code: 'duplicate',
    });
    expect(
      (await admin.post('/crm/team/members', { id: 'auth0|marie', name: 'X', role: 'staff' }))
        .status,
    ).toBe(409);
    const badRole = await admin.post('/crm/team/members', { name: 'X', role: 'customer' });
    expect(badRole.status).toBe(422);
    expect(Problem.parse(badRole.body).errors?.[0]?.field).toBe('role');
    const unknownTeam = await admin.post('/crm/team/members', {
      name: 'X',
      role: 'staff',
      team_ids: ['nope'],
    });
    expect(unknownTeam.status).toBe(422);
    expect(Problem.parse(unknownTeam.body).errors?.[0]).toMatchObject({
      field: 'team_ids.0',
      code: 'unknown_team',
    });

    const patched = await admin.patch<TeamMember>(
      '/crm/team/members/auth0%7Cmarie',
      { name: 'Marie Skłodowska-Curie', role: 'admin' },
      { headers: { 'if-match': '"1"' } },
    );
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(patched.body).toMatchObject({ name: 'Marie Skłodowska-Curie', role: 'admin' });
    const stale = await admin.patch(
      '/crm/team/members/auth0%7Cmarie',
      { name: 'Late' },
      { headers: { 'if-match': '"1"' } },
    );
    expect(stale.status).toBe(412);
    expect((await admin.patch('/crm/team/members/auth0%7Cmarie', { nickname: 'M' })).status).toBe(
      422,
    );
    expect((await admin.patch('/crm/team/members/nobody', { name: 'N' })).status).toBe(404);
    expect((await admin.get('/crm/team/members/nobody')).status).toBe(404);
    // Another tenant's admin knows nothing of them.
    const stranger = await as(randomUUID(), 'admin');
    expect((await stranger.get('/crm/team/members/auth0%7Cmarie')).status).toBe(404);
  });

  it('is read by every staff role and changed by admins only', async () => {
    const tenant = randomUUID();
    for (const role of ['manager', 'staff', 'sales_rep'] as const) {
      const client = await as(tenant, role);
      expect((await client.get('/crm/team')).status, role).toBe(200);
      const add = await client.post('/crm/team/members', { name: 'Eve', role: 'admin' });
      expect(add.status, role).toBe(403);
      expect(Problem.parse(add.body).code).toBe('forbidden');
      expect((await client.post('/crm/team/teams', { name: 'Mine' })).status, role).toBe(403);
      expect((await client.get('/crm/team/teams')).status, role).toBe(403);
    }
    const admin = await as(tenant, 'admin', { sub: 'root' });
    const all = await admin.get<TeamMemberPage>('/crm/team?limit=200');
    expect(all.body.data.map((m) => m.name).some((n) => n === 'Eve')).toBe(false);
  });

  it('keeps teams with unique names and their members, publishing the members whose teams change', async () => {
    const tenant = randomUUID();
    const admin = await as(tenant, 'admin', { sub: 'root' });
    for (const id of ['m1', 'm2', 'm3']) {
      await admin.post('/crm/team/members', { id, name: `Member ${id}`, role: 'staff' });
    }
    const events = await memberEvents(tenant);
    try {
      const team = await admin.post<Team>('/crm/team/teams', { id: 'sales', name: 'Sales' });
      expect(team.status).toBe(201);
      expect(team.headers.get('location')).toBe('/crm/team/teams/sales');
      expect((await admin.post('/crm/team/teams', { name: 'sales' })).status).toBe(409);
      const unknown = await admin.put('/crm/team/teams/sales/members', {
        member_ids: ['m1', 'ghost'],
      });
      expect(unknown.status).toBe(422);
      expect(Problem.parse(unknown.body).errors).toEqual([
        expect.objectContaining({ field: 'member_ids.1', code: 'unknown_member' }),
      ]);
      const set = await admin.put<Team>(
        '/crm/team/teams/sales/members',
        { member_ids: ['m1', 'm2'] },
        { headers: { 'if-match': '"1"' } },
      );
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ member_count: 2, version: 2 });
      const members = await admin.get<TeamMemberPage>('/crm/team?team_id=sales');
      expect(members.body.data.map((m) => m.id)).toEqual(['m1', 'm2']);
      expect(members.body.data[0]?.teams).toEqual([{ id: 'sales', name: 'Sales' }]);

      const renamed = await admin.patch<Team>(
        '/crm/team/teams/sales',
        { name: 'Field Sales' },
        { headers: { 'if-match': '"2"' } },
      );
      expect(renamed.status).toBe(200);
      expect((await member(admin, 'm2')).teams).toEqual([{ id: 'sales', name: 'Field Sales' }]);
      expect(
        (await admin.delete('/crm/team/teams/sales', { headers: { 'if-match': '"1"' } })).status,
      ).toBe(412);
      expect((await admin.delete('/crm/team/teams/sales')).status).toBe(204);
      expect((await member(admin, 'm1')).teams).toEqual([]);
      expect((await admin.get('/crm/team/teams/sales')).status).toBe(404);

      // m1 and m2 joined, were renamed with the team and left it with its deletion.
      const changed = () => events.of().filter((e) => e.change === 'updated');
      const got = await waitFor(() => changed().length >= 6 && changed(), {
        what: 'six member events',
      });
      expect(got.map((e) => `${e.member.id}@${e.member.version}`).sort()).toEqual([
        'm1@2',
        'm1@3',
        'm1@4',
        'm2@2',
        'm2@3',
        'm2@4',
      ]);
      expect(got.find((e) => e.member.version === 3)?.member.teams).toEqual([
        { id: 'sales', name: 'Field Sales' },
      ]);
    } finally {
      await events.close();
    }
  });
});

describe('deactivation', () => {
  it('refuses a deactivated member with 403 member_inactive everywhere, until reactivated', async () => {
    const tenant = randomUUID();
    const admin = await as(tenant, 'admin', { sub: 'root' });
    const sam = await as(tenant, 'staff', { sub: 'sam' });
    expect((await sam.get('/crm/team')).status).toBe(200);
    const before = await member(admin, 'sam');

    const off = await admin.patch<TeamMember>('/crm/team/members/sam', { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    for (const path of ['/crm/team', '/crm/customers']) {
      const refused = await sam.get(path);
      expect(refused.status, path).toBe(403);
      expect(Problem.parse(refused.body).code).toBe('member_inactive');
    }
    const received = upstream.received.length;
    expect((await sam.get('/crm/customers')).status).toBe(403);
    expect(upstream.received.length).toBe(received);
    expect((await member(admin, 'sam')).last_seen_at).toBe(before.last_seen_at);
    const inactive = await admin.get<TeamMemberPage>('/crm/team?active=false');
    expect(inactive.body.data.map((m) => m.id)).toEqual(['sam']);

    expect((await admin.patch('/crm/team/members/sam', { active: true })).status).toBe(200);
    expect((await sam.get('/crm/team')).status).toBe(200);
  });

  it('keeps an admin from deactivating themselves', async () => {
    const tenant = randomUUID();
    const admin = await as(tenant, 'admin', { sub: 'root' });
    const res = await admin.patch('/crm/team/members/root', { active: false });
    expect(res.status).toBe(422);
    expect(Problem.parse(res.body).errors?.[0]).toMatchObject({
      field: 'active',
      code: 'own_membership',
    });
  });
});

describe('listing', () => {
  it('pages through the members by name with the cursor, and filters by role, team and text', async () => {
    const tenant = randomUUID();
    const admin = await as(tenant, 'admin', { sub: 'zz-root', name: 'Zed Root' });
    await admin.post('/crm/team/teams', { id: 'north', name: 'North' });
    const names = ['Bea', 'alan', 'Cleo', 'dora', 'Emil'];
    for (const [i, name] of names.entries()) {
      const res = await admin.post('/crm/team/members', {
        id: `p${i}`,
        name,
        email: `${name.toLowerCase()}@shop.example`,
        role: i % 2 === 0 ? 'staff' : 'sales_rep',
        team_ids: i < 2 ? ['north'] : [],
      });
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: { status: number; body: TeamMemberPage } = await admin.get<TeamMemberPage>(
        `/crm/team?limit=2${query}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((m) => m.name));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(['alan', 'Bea', 'Cleo', 'dora', 'Emil', 'Zed Root']);
    expect(pages).toBe(3);

    const reps = await admin.get<TeamMemberPage>('/crm/team?role=sales_rep');
    expect(reps.body.data.map((m) => m.name)).toEqual(['alan', 'dora']);
    const north = await admin.get<TeamMemberPage>('/crm/team?team_id=north');
    expect(north.body.data.map((m) => m.name)).toEqual(['alan', 'Bea']);
    const text = await admin.get<TeamMemberPage>('/crm/team?q=LEO');
    expect(text.body.data.map((m) => m.name)).toEqual(['Cleo']);
    const byEmail = await admin.get<TeamMemberPage>('/crm/team?q=dora%40shop');
    expect(byEmail.body.data.map((m) => m.name)).toEqual(['dora']);
    expect((await admin.get('/crm/team?cursor=not-ours')).status).toBe(400);
    expect((await admin.get('/crm/team?role=customer')).status).toBe(422);

    const teams = await admin.get<TeamPage>('/crm/team/teams');
    expect(teams.body.data).toEqual([expect.objectContaining({ id: 'north', member_count: 2 })]);
  });
});

describe('events', () => {
  it('publishes one crm.team.member.changed.v1 per change, with the version as sequence', async () => {
    const tenant = randomUUID();
    const events = await memberEvents(tenant);
    try {
      const token = await tokenFor(tenant, 'staff', { sub: 'nia', name: 'Nia' });
      // Concurrent first requests register her once.
      const first = await Promise.all(
        Array.from({ length: 5 }, () =>
          fetch(`${gateway.url}/crm/team`, { headers: { authorization: bearer(token) } }),
        ),
      );
      expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const admin = await as(tenant, 'admin', { sub: 'root' });
      expect((await admin.patch('/crm/team/members/nia', { name: 'Nia' })).status).toBe(200);
      expect((await admin.patch('/crm/team/members/nia', { role: 'manager' })).status).toBe(200);
      // The last change marks the end: every event before it has been relayed by then.
      expect((await admin.patch('/crm/team/members/nia', { name: 'Nia K.' })).status).toBe(200);
      const got = await waitFor(
        () => events.of().some((e) => e.member.name === 'Nia K.') && events.of(),
        { what: 'the last member event' },
      );
      const nia = got.filter((e) => e.member.id === 'nia');
      expect(nia.map((e) => [e.change, e.member.version, e.sequence])).toEqual([
        ['registered', 1, '1'],
        ['updated', 2, '2'],
        ['updated', 3, '3'],
      ]);
      expect(nia[1]?.member.role).toBe('manager');
      expect(nia[1]?.changed_by).toMatchObject({ type: 'staff', id: 'root' });
      expect(got.filter((e) => e.member.id === 'root').map((e) => e.change)).toEqual([
        'registered',
      ]);
    } finally {
      await events.close();
    }
  });
});

describe('the development token route', () => {
  const DEV_TENANT = '0193d000-0000-7000-8000-0000000000d1';

  it('signs staff tokens for the development tenant when DEV_TOKENS is on', async () => {
    const dev = await startTestGateway({
      ...allUpstreamsAt(upstream.url),
      DEV_TOKENS: 'true',
      DEV_TENANT_ID: DEV_TENANT,
    });
    try {
      const res = await api(dev.url).post<{ token: string; expires_at: string }>('/crm/dev/token', {
        role: 'admin',
        sub: 'demo-admin',
        name: 'Demo Admin',
        email: 'demo@example.com',
      });
      expect(res.status).toBe(200);
      const hours = (Date.parse(res.body.expires_at) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(11.9);
      expect(hours).toBeLessThanOrEqual(12);
      const me = await api(dev.url)
        .as(res.body.token)
        .get<TeamMember>('/crm/team/members/demo-admin');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        name: 'Demo Admin',
        email: 'demo@example.com',
        role: 'admin',
      });
      expect((await api(dev.url).post('/crm/dev/token', { role: 'customer' })).status).toBe(422);
      expect(
        (await api(dev.url).post('/crm/dev/token', { role: 'staff', tenant: 'x' })).status,
      ).toBe(422);
    } finally {
      await dev.close();
    }
  });

  it('is no route at all without DEV_TOKENS, or with JWKS verification', async () => {
    const jwks = await startTestGateway({
      ...allUpstreamsAt(upstream.url),
      DEV_TOKENS: 'true',
      DEV_TENANT_ID: DEV_TENANT,
      JWT_JWKS_URL: 'http://127.0.0.1:1/.well-known/jwks.json',
    });
    try {
      for (const url of [gateway.url, jwks.url]) {
        const post = await api(url).post('/crm/dev/token', { role: 'admin' });
        expect(post.status, url).toBe(404);
        expect(Problem.parse(post.body).code).toBe('not_found');
        expect((await api(url).get('/crm/dev/token')).status, url).toBe(404);
      }
    } finally {
      await jwks.close();
    }
  });
});
