import net from 'node:net';
import { BOOKINGX_EXCHANGE } from '@crm/contracts';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { SimulatedEvent } from '../src/index.js';

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** An exclusive queue bound to everything on bookingx.events, collecting what arrives. */
export async function tap(channel: Channel): Promise<ConsumeMessage[]> {
  await channel.assertExchange(BOOKINGX_EXCHANGE, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, BOOKINGX_EXCHANGE, '#');
  const received: ConsumeMessage[] = [];
  await channel.consume(
    queue,
    (msg) => {
      if (msg) received.push(msg);
    },
    { noAck: true },
  );
  return received;
}

/** Messages carrying these event ids; other tests share the vhost and may publish too. */
export async function waitForIds(
  received: ConsumeMessage[],
  events: readonly SimulatedEvent[],
  timeoutMs = 10_000,
): Promise<ConsumeMessage[]> {
  const ids = new Set(events.map((e) => e.id));
  const mine = () => received.filter((m) => ids.has(String(m.properties.messageId)));
  const deadline = Date.now() + timeoutMs;
  while (mine().length < ids.size && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // A little longer, so a duplicate would have time to show up.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return mine();
}
