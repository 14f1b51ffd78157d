import { randomUUID } from 'node:crypto';
import { bookingxCustomerId, type Engagement, type Page, type TimelineEntry } from '@crm/contracts';
import type { RunningService } from '@crm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBus } from '../../../test/support/bus.js';
import { startProfilesAndInteractions } from '../../../test/support/cluster.js';
import { call, tokenFor, waitFor } from '../../../test/support/services.js';
import type { InteractionsConfig } from '../src/config.js';
import type { InteractionsDeps } from '../src/service.js';
import {
  assignmentEvent,
  erasedEvent,
  mergeEvent,
  messageEvent,
  noteEvent,
  segmentEvent,
  stageEvent,
  taskEvent,
  workflowEvent,
} from './events.js';
import { buildBookingEvent, nextBxId } from './factories.js';

let svc: RunningService<InteractionsConfig, InteractionsDeps>;
let stopServices: () => Promise<void>;
let bus: TestBus;

beforeAll(async () => {
  // Interactions asks profiles about customers its replica has not heard of.
  const started = await startProfilesAndInteractions();
  svc = started.interactions;
  stopServices = started.stop;
  bus = await TestBus.open();
});

afterAll(async () => {
  await bus.close();
  await stopServices();
});

async function entries(customerId: string, token: string, query = '') {
  const r = await call<Page<TimelineEntry>>(
    svc.url,
    'GET',
    `/crm/customers/${customerId}/timeline?limit=200${query}`,
    { token },
  );
  return r.body.data;
}

async function settled(tenant: string, eventIds: string[]): Promise<void> {
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
    const privateNote = noteEvent(tenant, customerId, {
      is_private: true,
      excerpt: 'Difficult about prices',
    });
    const publicNote = noteEvent(tenant, customerId, { excerpt: 'Enjoy your voucher!' });
    const events = [
      assignmentEvent(tenant, customerId, 'staff-anna'),
      privateNote,
      publicNote,
      taskEvent(tenant, customerId),
      taskEvent(tenant, customerId, true),
      messageEvent(tenant, customerId, 'crm.message.sent.v1'),
      messageEvent(tenant, customerId, 'crm.message.opened.v1'),
      messageEvent(tenant, customerId, 'crm.message.clicked.v1'),
      messageEvent(tenant, customerId, 'crm.message.received.v1'),
      segmentEvent(tenant, customerId),
      workflowEvent(tenant, customerId),
      stageEvent(tenant, customerId),
    ];
    await bus.publish([...events, privateNote]);
    await settled(
      tenant,
      events.map((e) => e.id),
    );

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
    const customerView = await entries(customerId, self);
    const text = JSON.stringify(customerView);
    expect(text).not.toContain('Difficult about prices');
    expect(customerView.map((e) => e.kind).sort()).toEqual(['message', 'message', 'note']);
    expect(customerView.map((e) => e.summary)).toContain(
      'Note from Staff staff-1: Enjoy your voucher!',
    );

    const engagement = await call<Engagement>(
      svc.url,
      'GET',
      `/crm/customers/${customerId}/engagement`,
      { token: anna },
    );
    expect(engagement.body).toMatchObject({ email_opens: 1, email_clicks: 1, replies: 1 });
    expect(
      (await call(svc.url, 'GET', `/crm/customers/${customerId}/engagement`, { token: self }))
        .status,
    ).toBe(403);
  });

  it('keeps a note at its newest version whatever the order, and removes it when deleted', async () => {
    const tenant = randomUUID();
    const customerId = randomUUID();
    const noteId = randomUUID();
    const v1 = noteEvent(tenant, customerId, { id: noteId, excerpt: 'first draft', version: 1 });
    const v3 = noteEvent(
      tenant,
      customerId,
      { id: noteId, excerpt: 'final words', version: 3, is_pinned: true },
      'crm.note.updated.v1',
    );
    const v2 = noteEvent(
      tenant,
      customerId,
      { id: noteId, excerpt: 'second draft', version: 2 },
      'crm.note.updated.v1',
    );
    await bus.publish([assignmentEvent(tenant, customerId, null), v3, v1, v2]);
    await settled(tenant, [v1.id, v2.id, v3.id]);
    const admin = await tokenFor(tenant, 'admin');
    const notes = await entries(customerId, admin, '&kind=note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      summary: 'Note from Staff staff-1: final words',
      icon: 'pin',
    });

    const deleted = noteEvent(
      tenant,
      customerId,
      { id: noteId, version: 4 },
      'crm.note.deleted.v1',
    );
    await bus.publish([deleted]);
    await settled(tenant, [deleted.id]);
    expect(await entries(customerId, admin, '&kind=note')).toHaveLength(0);
  });

  it('moves a merged customer’s entries to the survivor, and later facts follow', async () => {
    const tenant = randomUUID();
    const survivorBx = nextBxId();
    const duplicateBx = nextBxId();
    const survivor = bookingxCustomerId(tenant, survivorBx);
    const duplicate = bookingxCustomerId(tenant, duplicateBx);
    const booking = (bx: string, day: number) =>
      buildBookingEvent({
        tenantId: tenant,
        customerBxId: bx,
        revision: 0,
        status: 'confirmed',
        type: 'bookingx.booking.created.v1',
        time: new Date(Date.UTC(2026, 5, day)).toISOString(),
      });
    const before = [
      booking(survivorBx, 1),
      booking(duplicateBx, 2),
      messageEvent(tenant, duplicate, 'crm.message.opened.v1'),
    ];
    await bus.publish([
      assignmentEvent(tenant, survivor, 'staff-anna'),
      assignmentEvent(tenant, duplicate, 'staff-ben'),
      ...before,
    ]);
    await settled(
      tenant,
      before.map((e) => e.id),
    );

    const merge = mergeEvent(tenant, survivor, [duplicate]);
    await bus.publish([merge]);
    await settled(tenant, [merge.id]);
    const late = booking(duplicateBx, 3);
    await bus.publish([late]);
    await settled(tenant, [late.id]);

    const admin = await tokenFor(tenant, 'admin');
    const all = await entries(survivor, admin);
    expect(all.filter((e) => e.kind === 'booking')).toHaveLength(3);
    expect(all.map((e) => e.summary)).toContain('Merged with 1 duplicate profile');
    // The merged id still answers, with the survivor's timeline.
    expect((await entries(duplicate, admin)).map((e) => e.id)).toEqual(all.map((e) => e.id));
    const engagement = await call<Engagement>(
      svc.url,
      'GET',
      `/crm/customers/${survivor}/engagement`,
      { token: admin },
    );
    expect(engagement.body).toMatchObject({ bookings: 3, email_opens: 1 });
    // Access follows the survivor's assignment, not the duplicate's.
    const ben = await tokenFor(tenant, 'staff', { sub: 'staff-ben' });
    expect(
      (await call(svc.url, 'GET', `/crm/customers/${duplicate}/timeline`, { token: ben })).status,
    ).toBe(404);
  });

  it('erases everything about an erased customer', async () => {
    const tenant = randomUUID();
    const bx = nextBxId();
    const customerId = bookingxCustomerId(tenant, bx);
    const facts = [
      buildBookingEvent({
        tenantId: tenant,
        customerBxId: bx,
        revision: 0,
        status: 'confirmed',
        type: 'bookingx.booking.created.v1',
        time: '2026-06-01T09:00:00Z',
      }),
      messageEvent(tenant, customerId, 'crm.message.received.v1'),
    ];
    await bus.publish([assignmentEvent(tenant, customerId, null), ...facts]);
    await settled(
      tenant,
      facts.map((e) => e.id),
    );
    const erase = erasedEvent(tenant, customerId);
    await bus.publish([erase]);
    await settled(tenant, [erase.id]);
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
      noteEvent(tenant, customerId, { is_private: true, excerpt: 'internal, "quoted", text' }),
      noteEvent(tenant, customerId, { excerpt: 'Thanks for visiting' }),
      messageEvent(tenant, customerId, 'crm.message.sent.v1'),
    ];
    await bus.publish([assignmentEvent(tenant, customerId, null), ...events]);
    await settled(
      tenant,
      events.map((e) => e.id),
    );
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
    const mine = await fetch(`${svc.url}/crm/customers/${customerId}/timeline/export?format=csv`, {
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
