import { randomUUID } from 'node:crypto';
import {
  bookingxCustomerId,
  type CloudEvent,
  type Engagement,
  type Page,
  type TimelineEntry,
} from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildEvent, nextBxId, tokenFor, useBus, useService, waitFor } from '@crm/testing';
import { profilesService } from '../../profiles/src/service.js';
import { interactionsService } from '../src/service.js';
import { assigned, booked } from './fixtures.js';

// Interactions asks profiles about customers its replica has not heard of.
const profiles = useService(profilesService);
const svc = useService(interactionsService, { env: () => ({ PROFILES_URL: profiles.url }) });
const bus = useBus();

async function entries(customerId: string, token: string, query = '') {
  const r = await api(svc.url)
    .as(token)
    .get<Page<TimelineEntry>>(`/crm/customers/${customerId}/timeline?limit=200${query}`);
  return r.body.data;
}

/** A customer reads their own timeline through /crm/me. */
async function myEntries(token: string) {
  const r = await api(svc.url)
    .as(token)
    .request<Page<TimelineEntry>>('GET', '/crm/me/timeline?limit=200');
  return r.body.data;
}

/** Publishes `events` and waits until interactions has consumed every one of them. */
async function deliver(tenant: string, events: CloudEvent[]): Promise<void> {
  await bus.publish(events);
  const eventIds = [...new Set(events.map((e) => e.id))];
  await waitFor(
    async () => {
      const { rows } = await svc.kit.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM interactions.inbox WHERE event_id = ANY($1)`,
        [eventIds],
      );
      return rows[0]?.n === eventIds.length;
    },
    { what: `${eventIds.length} events of ${tenant} processed` },
  );
}

describe('the timeline of every service', () => {
  it('shows notes, tasks, messages, segments, workflows and stage changes, each to whom it may', async () => {
    const tenant = randomUUID();
    const customerId = randomUUID();
    const privateNote = buildEvent('crm.note.created.v1', {
      tenantId: tenant,
      data: {
        note: { customer_id: customerId, is_private: true, excerpt: 'Difficult about prices' },
      },
    });
    const publicNote = buildEvent('crm.note.created.v1', {
      tenantId: tenant,
      data: { note: { customer_id: customerId, excerpt: 'Enjoy your voucher!' } },
    });
    const about = { customer_id: customerId };
    const events = [
      assigned(tenant, customerId, 'staff-anna'),
      privateNote,
      publicNote,
      ...(['crm.task.created.v1', 'crm.task.completed.v1'] as const).map((type) =>
        buildEvent(type, { tenantId: tenant, data: { task: about } }),
      ),
      ...(
        [
          'crm.message.sent.v1',
          'crm.message.opened.v1',
          'crm.message.clicked.v1',
          'crm.message.received.v1',
        ] as const
      ).map((type) => buildEvent(type, { tenantId: tenant, data: { message: about } })),
      ...(
        [
          'crm.segment.member_added.v1',
          'crm.workflow.action_executed.v1',
          'crm.customer.stage_changed.v1',
        ] as const
      ).map((type) => buildEvent(type, { tenantId: tenant, data: about })),
    ];
    await deliver(tenant, [...events, privateNote]);

    const anna = await tokenFor(tenant, 'staff', { sub: 'staff-anna' });
    const staffView = await entries(customerId, anna);
    expect(new Set(staffView.map((e) => e.kind))).toEqual(
      new Set(['note', 'task', 'message', 'segment', 'workflow', 'customer']),
    );
    expect(staffView.filter((e) => e.kind === 'note')).toHaveLength(2);
    expect(staffView.map((e) => e.summary)).toContain(
      'Private note by Staff staff-1: Difficult about prices',
    );
    expect(staffView.map((e) => e.summary)).toContain('Win-back: Sent the win-back offer');
    expect(staffView.map((e) => e.summary)).toContain('Stage changed from new to regular');

    const self = await tokenFor(tenant, 'customer', { sub: customerId });
    const customerView = await myEntries(self);
    expect(
      (await api(svc.url).as(self).request('GET', `/crm/customers/${customerId}/timeline`)).status,
    ).toBe(403);
    const text = JSON.stringify(customerView);
    expect(text).not.toContain('Difficult about prices');
    expect(customerView.map((e) => e.kind).sort()).toEqual(['message', 'message', 'note']);
    expect(customerView.map((e) => e.summary)).toContain(
      'Note from Staff staff-1: Enjoy your voucher!',
    );

    const engagement = await api(svc.url)
      .as(anna)
      .get<Engagement>(`/crm/customers/${customerId}/engagement`);
    expect(engagement.body).toMatchObject({ email_opens: 1, email_clicks: 1, replies: 1 });
    expect(
      (await api(svc.url).as(self).get(`/crm/customers/${customerId}/engagement`)).status,
    ).toBe(403);
  });

  it('keeps a note at its newest version whatever the order, and removes it when deleted', async () => {
    const tenant = randomUUID();
    const customerId = randomUUID();
    const noteId = randomUUID();
    const v1 = buildEvent('crm.note.created.v1', {
      tenantId: tenant,
      data: { note: { customer_id: customerId, id: noteId, excerpt: 'first draft', version: 1 } },
    });
    const v3 = buildEvent('crm.note.updated.v1', {
      tenantId: tenant,
      data: {
        note: {
          customer_id: customerId,
          id: noteId,
          excerpt: 'final words',
          version: 3,
          is_pinned: true,
        },
      },
    });
    const v2 = buildEvent('crm.note.updated.v1', {
      tenantId: tenant,
      data: { note: { customer_id: customerId, id: noteId, excerpt: 'second draft', version: 2 } },
    });
    await deliver(tenant, [assigned(tenant, customerId), v3, v1, v2]);
    const admin = await tokenFor(tenant, 'admin');
    const notes = await entries(customerId, admin, '&kind=note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      summary: 'Note from Staff staff-1: final words',
      icon: 'pin',
    });

    const deleted = buildEvent('crm.note.deleted.v1', {
      tenantId: tenant,
      data: { note: { customer_id: customerId, id: noteId, version: 4 } },
    });
    await deliver(tenant, [deleted]);
    expect(await entries(customerId, admin, '&kind=note')).toHaveLength(0);
  });

  it('moves a merged customer’s entries to the survivor, and later facts follow', async () => {
    const tenant = randomUUID();
    const survivorBx = nextBxId();
    const duplicateBx = nextBxId();
    const survivor = bookingxCustomerId(tenant, survivorBx);
    const duplicate = bookingxCustomerId(tenant, duplicateBx);
    const booking = (bx: string, day: number) =>
      booked(tenant, bx, new Date(Date.UTC(2026, 5, day)));
    const before = [
      booking(survivorBx, 1),
      booking(duplicateBx, 2),
      buildEvent('crm.message.opened.v1', {
        tenantId: tenant,
        data: { message: { customer_id: duplicate } },
      }),
    ];
    await deliver(tenant, [
      assigned(tenant, survivor, 'staff-anna'),
      assigned(tenant, duplicate, 'staff-ben'),
      ...before,
    ]);

    const merge = buildEvent('crm.customer.merged.v1', {
      tenantId: tenant,
      data: { survivor_id: survivor, merged_ids: [duplicate] },
    });
    await deliver(tenant, [merge]);
    const late = booking(duplicateBx, 3);
    await deliver(tenant, [late]);

    const admin = await tokenFor(tenant, 'admin');
    const all = await entries(survivor, admin);
    expect(all.filter((e) => e.kind === 'booking')).toHaveLength(3);
    expect(all.map((e) => e.summary)).toContain('Merged with 1 duplicate profile');
    // The merged id still answers, with the survivor's timeline.
    expect((await entries(duplicate, admin)).map((e) => e.id)).toEqual(all.map((e) => e.id));
    const engagement = await api(svc.url)
      .as(admin)
      .get<Engagement>(`/crm/customers/${survivor}/engagement`);
    expect(engagement.body).toMatchObject({ bookings: 3, email_opens: 1 });
    // Access follows the survivor's assignment, not the duplicate's.
    const ben = await tokenFor(tenant, 'staff', { sub: 'staff-ben' });
    expect((await api(svc.url).as(ben).get(`/crm/customers/${duplicate}/timeline`)).status).toBe(
      404,
    );
  });

  it('erases everything about an erased customer', async () => {
    const tenant = randomUUID();
    const bx = nextBxId();
    const customerId = bookingxCustomerId(tenant, bx);
    const facts = [
      booked(tenant, bx, new Date('2026-06-01T09:00:00Z')),
      buildEvent('crm.message.received.v1', {
        tenantId: tenant,
        data: { message: { customer_id: customerId } },
      }),
    ];
    await deliver(tenant, [assigned(tenant, customerId), ...facts]);
    const erase = buildEvent('crm.customer.erased.v1', {
      tenantId: tenant,
      data: { customer_id: customerId },
    });
    await deliver(tenant, [erase]);
    // Facts that arrive after the erasure (late, or replayed from the dead letters) are dropped.
    const late = [
      assigned(tenant, customerId, 'staff-late', 2),
      buildEvent('bookingx.booking.completed.v1', {
        tenantId: tenant,
        data: { booking: { customer: { bookingx_id: bx }, status: 'completed', revision: 1 } },
      }),
      buildEvent('crm.note.created.v1', {
        tenantId: tenant,
        data: { note: { customer_id: customerId, excerpt: 'Written too late' } },
      }),
    ];
    await deliver(tenant, late);
    const { rows } = await svc.kit.database.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM interactions.timeline_entries WHERE tenant_id = $1)
            + (SELECT count(*) FROM interactions.interactions WHERE tenant_id = $1)
            + (SELECT count(*) FROM interactions.bookings WHERE tenant_id = $1)
            + (SELECT count(*) FROM interactions.engagement WHERE tenant_id = $1)
            + (SELECT count(*) FROM interactions.customer_access WHERE tenant_id = $1) AS n`,
      [tenant],
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });
});

describe('timeline export', () => {
  it('streams what the caller may see as JSON and CSV', async () => {
    const tenant = randomUUID();
    const customerId = randomUUID();
    const events = [
      buildEvent('crm.note.created.v1', {
        tenantId: tenant,
        data: {
          note: { customer_id: customerId, is_private: true, excerpt: 'internal, "quoted", text' },
        },
      }),
      buildEvent('crm.note.created.v1', {
        tenantId: tenant,
        data: { note: { customer_id: customerId, excerpt: 'Thanks for visiting' } },
      }),
      buildEvent('crm.message.sent.v1', {
        tenantId: tenant,
        data: { message: { customer_id: customerId } },
      }),
    ];
    await deliver(tenant, [assigned(tenant, customerId), ...events]);
    const admin = await tokenFor(tenant, 'admin');
    const json = await fetch(`${svc.url}/crm/customers/${customerId}/timeline/export?format=json`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toContain(`timeline-${customerId}.json`);
    const list = (await json.json()) as TimelineEntry[];
    expect(list).toHaveLength(3);
    expect(list).toEqual(await entries(customerId, admin));

    const csv = await fetch(`${svc.url}/crm/customers/${customerId}/timeline/export?format=csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'occurred_at,kind,type,summary,actor_type,actor_id,actor_name,source_service,source_object_type,source_object_id,icon,id',
    );
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).toContain(
      '"Private note by Staff staff-1: internal, ""quoted"", text"',
    );

    const self = await tokenFor(tenant, 'customer', { sub: customerId });
    const mine = await fetch(`${svc.url}/crm/me/timeline/export?format=csv`, {
      headers: { authorization: `Bearer ${self}` },
    });
    const text = await mine.text();
    expect(text).not.toContain('internal');
    expect(text.trim().split('\n')).toHaveLength(3);

    const stranger = await tokenFor(randomUUID(), 'admin');
    const refused = await fetch(`${svc.url}/crm/customers/${customerId}/timeline/export`, {
      headers: { authorization: `Bearer ${stranger}` },
    });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  });
});
