import { randomUUID } from 'node:crypto';
import { BOOKINGX_EXCHANGE, CLOUDEVENTS_CONTENT_TYPE } from '@crm/contracts';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generate, publishEvents, PublishError } from '../src/index.js';
import { closedPort, tap, waitForIds } from './support.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');

describe('publishEvents', () => {
  const url = inject('amqpUrl');
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    connection = await connect(url);
    channel = await connection.createChannel();
  });

  afterAll(async () => {
    await connection.close();
  });

  it('delivers every event once, in order, as a structured CloudEvent routed by type', async () => {
    const received = await tap(channel);
    const events = generate({
      seed: 3,
      customers: 12,
      months: 4,
      now: NOW,
      tenants: [randomUUID()],
    });
    expect(events.length).toBeGreaterThan(30);
    const progress: number[] = [];

    const result = await publishEvents(url, events, {
      window: 7,
      onProgress: (n) => progress.push(n),
    });

    expect(result.published).toBe(events.length);
    expect(progress.at(-1)).toBe(events.length);
    expect(progress.length).toBeGreaterThan(events.length / 7 - 1);

    const messages = await waitForIds(received, events);
    expect(messages.map((m) => String(m.properties.messageId))).toEqual(events.map((e) => e.id));
    for (const [i, m] of messages.entries()) {
      const event = events[i];
      if (!event) throw new Error('more messages than events');
      expect(m.fields.exchange).toBe(BOOKINGX_EXCHANGE);
      expect(m.fields.routingKey).toBe(event.type);
      expect(m.properties.contentType).toBe(CLOUDEVENTS_CONTENT_TYPE);
      expect(m.properties.deliveryMode).toBe(2);
      expect(m.properties.headers).toMatchObject({ 'x-tenant-id': event.tenantid });
      expect(JSON.parse(m.content.toString('utf8'))).toEqual(event);
    }
  });

  it('reports an unreachable broker without the password', async () => {
    const port = await closedPort();
    const error: unknown = await publishEvents(`amqp://guest:secret@127.0.0.1:${port}`, []).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(PublishError);
    expect(String(error)).toMatch(
      /cannot connect to RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1/,
    );
    expect(String(error)).not.toContain('secret');
  });
});
