import { describe, expect, it } from 'vitest';
import {
  BOOKINGX_EXCHANGE,
  CLOUDEVENTS_CONTENT_TYPE,
  CRM_EXCHANGE,
  EnvelopeBase,
  EVENT_CATALOG,
  EVENT_DESCRIPTIONS,
  exchangeOf,
  fromWire,
  isEventType,
  makeEvent,
  MalformedEventError,
  toWire,
} from '../src/index.js';

const TENANT = '0b5c8e4e-3f7a-4c1d-9e2b-5a6f7c8d9e01';
const CUSTOMER = '0190f5a4-7c1e-7d2a-9b3c-4d5e6f708192';

function sample() {
  return makeEvent({
    type: 'crm.interaction.recorded.v1',
    source: 'crm/interactions',
    tenantId: TENANT,
    subject: CUSTOMER,
    sequence: 7n,
    time: new Date('2026-11-24T10:00:00.000Z'),
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    data: { interaction: { id: CUSTOMER, note: 'ü and emoji 🙂' } },
  });
}

describe('CloudEvents on the wire', () => {
  it('round-trips an event through toWire and fromWire', () => {
    const event = sample();
    const wire = toWire(event);
    expect(fromWire(wire.content)).toEqual(event);
  });

  it('routes by type and sets the AMQP properties from the envelope', () => {
    const event = sample();
    const wire = toWire(event);
    expect(wire.routingKey).toBe(event.type);
    expect(wire.properties).toEqual({
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: event.id,
      type: event.type,
      timestamp: Date.parse('2026-11-24T10:00:00.000Z') / 1000,
      persistent: true,
      headers: { 'x-tenant-id': TENANT, traceparent: event.traceparent },
    });
    expect(event.sequence).toBe('7');
  });

  it('leaves traceparent out of the headers when the event has none', () => {
    const event = makeEvent({
      type: 'crm.customer.created.v1',
      source: 'crm/profiles',
      tenantId: TENANT,
      data: {},
    });
    expect(toWire(event).properties.headers).toEqual({ 'x-tenant-id': TENANT });
  });

  it('fills the default data content type of a minimal envelope', () => {
    const body = {
      specversion: '1.0',
      id: 'e-1',
      source: 'bookingx',
      type: 'bookingx.booking.created.v1',
      time: '2026-11-24T10:00:00+01:00',
      tenantid: TENANT,
      data: {},
    };
    expect(fromWire(Buffer.from(JSON.stringify(body))).datacontenttype).toBe('application/json');
  });

  const valid = JSON.parse(toWire(sample()).content.toString('utf8')) as Record<string, unknown>;
  const malformed: [string, Buffer][] = [
    ['not JSON', Buffer.from('{"specversion": "1.0",')],
    ['not an object', Buffer.from('"hello"')],
    ['an empty body', Buffer.alloc(0)],
    ['another specversion', Buffer.from(JSON.stringify({ ...valid, specversion: '0.3' }))],
    ['no tenantid', Buffer.from(JSON.stringify({ ...valid, tenantid: undefined }))],
    ['a tenantid that is not a UUID', Buffer.from(JSON.stringify({ ...valid, tenantid: 'acme' }))],
    ['a badly named type', Buffer.from(JSON.stringify({ ...valid, type: 'CustomerCreated' }))],
    ['a time that is not RFC 3339', Buffer.from(JSON.stringify({ ...valid, time: 'yesterday' }))],
    ['a non-decimal sequence', Buffer.from(JSON.stringify({ ...valid, sequence: 'v7' }))],
    ['no id', Buffer.from(JSON.stringify({ ...valid, id: '' }))],
  ];
  it.each(malformed)('rejects a body with %s', (_what, content) => {
    expect(() => fromWire(content)).toThrow(MalformedEventError);
  });
});

describe('event catalog', () => {
  const types = Object.keys(EVENT_CATALOG);
  // A past tense: a word ending in -ed, or one of these irregular past participles.
  const IRREGULAR_PAST = new Set(['sent', 'paid', 'won', 'lost', 'set', 'held', 'made', 'done']);
  // Named after the BookingX booking status it mirrors rather than a verb.
  const STATUS_NAMED = new Set(['bookingx.booking.no_show.v1']);

  it.each(types)('%s is named <domain>.<entity>.<past_tense>.v<N>', (type) => {
    // An optional sub-entity, as in crm.customer.assignment.changed.v1.
    const match =
      /^(bookingx|crm)\.([a-z]+(?:_[a-z]+)*)(?:\.([a-z]+(?:_[a-z]+)*))?\.([a-z]+(?:_[a-z]+)*)\.v([1-9]\d*)$/.exec(
        type,
      );
    expect(match, type).not.toBeNull();
    const lastWord = match?.[4]?.split('_').at(-1) ?? '';
    if (!STATUS_NAMED.has(type)) {
      expect(
        lastWord.endsWith('ed') || IRREGULAR_PAST.has(lastWord),
        `${type} is not past tense`,
      ).toBe(true);
    }
    expect(EnvelopeBase.shape.type.safeParse(type).success).toBe(true);
  });

  it('describes every event and sends it to the exchange of its domain', () => {
    for (const type of types) {
      expect(isEventType(type)).toBe(true);
      if (!isEventType(type)) continue;
      expect(EVENT_DESCRIPTIONS[type].length).toBeGreaterThan(0);
      expect(exchangeOf(type)).toBe(type.startsWith('crm.') ? CRM_EXCHANGE : BOOKINGX_EXCHANGE);
    }
    expect(isEventType('crm.nothing.happened.v1')).toBe(false);
    expect(isEventType('toString')).toBe(false);
  });
});
