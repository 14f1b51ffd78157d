import type { EventType, TypedEvent } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { buildEvent } from '@crm/testing';
import { groupByHandler, type BatchHandler, type Handler, type Handlers } from '../src/consumer.js';

const done = (): Promise<void> => Promise.resolve();
const bookings: BatchHandler = { batch: done };
const payments: BatchHandler = { batch: done };
const handlers: Handlers = {
  'bookingx.booking.created.v1': bookings,
  'bookingx.booking.cancelled.v1': bookings,
  'bookingx.payment.captured.v1': payments,
  'bookingx.customer.updated.v1': done,
};

const tenantId = '0190a5c4-0000-7000-8000-000000000001';

/** An event of `type` about the subject `subject`. */
function about(subject: string, type: EventType): TypedEvent<EventType> {
  return buildEvent(type, { tenantId, subject });
}

function groups(events: TypedEvent<EventType>[]) {
  const found = groupByHandler(
    events,
    (e) => handlers[e.type] as Handler,
    (e) => e.subject ?? e.id,
  );
  return found.map((g) => g.events.map((e) => events.indexOf(e)));
}

describe('grouping a batch by handler', () => {
  it('puts the events of one set handler together, whatever their type, in arrival order', () => {
    const events = [
      about('a', 'bookingx.booking.created.v1'),
      about('b', 'bookingx.payment.captured.v1'),
      about('c', 'bookingx.booking.cancelled.v1'),
      about('d', 'bookingx.booking.created.v1'),
    ];
    expect(groups(events)).toEqual([[0, 2, 3], [1]]);
  });

  it('starts a new set when an earlier event of the subject ran after the latest one', () => {
    const events = [
      about('a', 'bookingx.booking.created.v1'),
      about('a', 'bookingx.customer.updated.v1'),
      about('b', 'bookingx.booking.created.v1'),
      about('a', 'bookingx.booking.cancelled.v1'),
      about('b', 'bookingx.booking.cancelled.v1'),
      about('a', 'bookingx.payment.captured.v1'),
    ];
    // a's cancellation must follow a's update, so it opens a second set, which b's joins.
    expect(groups(events)).toEqual([[0, 2], [1], [3, 4], [5]]);
  });

  it('keeps every subject’s events in arrival order across types', () => {
    const subjects = ['a', 'b', 'c'];
    const types: EventType[] = [
      'bookingx.booking.created.v1',
      'bookingx.customer.updated.v1',
      'bookingx.payment.captured.v1',
      'bookingx.booking.cancelled.v1',
    ];
    const events = Array.from({ length: 60 }, (_, i) =>
      about(subjects[(i * 7) % 3] ?? 'a', types[(i * 5) % 4] ?? 'bookingx.booking.created.v1'),
    );
    const order = groups(events).flat();
    expect([...order].sort((x, y) => x - y)).toEqual(events.map((_, i) => i));
    for (const subject of subjects) {
      const ran = order.filter((i) => events[i]?.subject === subject);
      expect(ran).toEqual([...ran].sort((x, y) => x - y));
    }
    expect(groups(events).length).toBeLessThan(events.length);
  });

  it('gives each event of a per-event handler a group of its own', () => {
    const events = [
      about('a', 'bookingx.customer.updated.v1'),
      about('b', 'bookingx.customer.updated.v1'),
    ];
    expect(groups(events)).toEqual([[0], [1]]);
  });
});
