import { exchangeOf, fromWire, isEventType, toWire, type CloudEvent } from '@crm/contracts';
import { connect, type ChannelModel } from 'amqplib';
import { testAmqpUrl } from './env.js';

/** A test's own view of the bus: publish as BookingX would, and listen to what the CRM says. */
export class TestBus {
  private constructor(private readonly conn: ChannelModel) {}

  static async open(): Promise<TestBus> {
    return new TestBus(await connect(testAmqpUrl()));
  }

  async publish(events: CloudEvent[]): Promise<void> {
    const ch = await this.conn.createConfirmChannel();
    for (const event of events) {
      const wire = toWire(event);
      const exchange = isEventType(event.type) ? exchangeOf(event.type) : 'crm.events';
      await ch.assertExchange(
        exchange,
        'topic',
        exchange === 'crm.events'
          ? { durable: true, alternateExchange: 'crm.unrouted' }
          : { durable: true },
      );
      ch.publish(exchange, wire.routingKey, wire.content, wire.properties);
    }
    await ch.waitForConfirms();
    await ch.close();
  }

  /** Collects every event on an exchange matching the pattern, from now on. */
  async listen(
    exchange: string,
    pattern: string,
  ): Promise<{ events: CloudEvent[]; close: () => Promise<void> }> {
    const ch = await this.conn.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(queue, exchange, pattern);
    const events: CloudEvent[] = [];
    await ch.consume(
      queue,
      (msg) => {
        if (msg) events.push(fromWire(msg.content));
      },
      { noAck: true },
    );
    return { events, close: () => ch.close() };
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
