import { BOOKINGX_EXCHANGE, toWire, type CloudEvent } from '@crm/contracts';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { SimulatedEvent } from './events.js';
import { errorMessage } from './sink.js';

export const DEFAULT_CONFIRM_WINDOW = 500;

export interface PublishOptions {
  /** Default `bookingx.events`, declared topic and durable. */
  exchange?: string;
  /** Publishes in flight before waiting for the broker's confirms; bounds memory and loss. */
  window?: number;
  /** Called with the number of events the broker has confirmed so far. */
  onProgress?: (confirmed: number) => void;
}

export interface PublishResult {
  published: number;
  elapsedMs: number;
}

export class PublishError extends Error {
  override readonly name = 'PublishError';
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid URL>';
  }
}

function checkWindow(window: number): void {
  if (!Number.isSafeInteger(window) || window < 1) {
    throw new RangeError(`window must be a positive integer, got ${window}`);
  }
}

/**
 * Publishes on a confirm channel, waiting for the broker's confirms after every window of
 * publishes: memory stays bounded and `onConfirmed` hears of each window once it is safe.
 */
export class BusSink<E extends CloudEvent = SimulatedEvent> {
  readonly description: string;
  private inFlight: E[] = [];
  private confirmed = 0;
  // The first error explains a later "channel closed" better than that message does.
  private failure: Error | undefined;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    private readonly exchange: string,
    private readonly window: number,
    private readonly onConfirmed: ((events: readonly E[]) => void) | undefined,
    url: string,
  ) {
    this.description = `${exchange} at ${redactUrl(url)}`;
    connection.on('error', (err: Error) => {
      this.failure ??= err;
    });
    channel.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  static async open<E extends CloudEvent = SimulatedEvent>(
    url: string,
    options: {
      exchange?: string | undefined;
      window?: number | undefined;
      onConfirmed?: ((events: readonly E[]) => void) | undefined;
    } = {},
  ): Promise<BusSink<E>> {
    const exchange = options.exchange ?? BOOKINGX_EXCHANGE;
    const window = options.window ?? DEFAULT_CONFIRM_WINDOW;
    checkWindow(window);
    const connection = await connect(url).catch((err: unknown) => {
      throw new PublishError(
        `cannot connect to RabbitMQ at ${redactUrl(url)}: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    });
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertExchange(exchange, 'topic', { durable: true });
      return new BusSink(connection, channel, exchange, window, options.onConfirmed, url);
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw new PublishError(`cannot open a channel on ${redactUrl(url)}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  send(event: E): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.wrap(this.failure));
    const wire = toWire(event);
    this.channel.publish(this.exchange, wire.routingKey, wire.content, {
      ...wire.properties,
      mandatory: false,
    });
    this.inFlight.push(event);
    return this.inFlight.length >= this.window ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    try {
      await this.channel.waitForConfirms();
    } catch (err) {
      throw this.wrap(this.failure ?? err);
    }
    const done = this.inFlight;
    this.inFlight = [];
    this.confirmed += done.length;
    if (done.length > 0) this.onConfirmed?.(done);
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }

  private wrap(cause: unknown): PublishError {
    return new PublishError(
      `publishing to ${this.exchange} failed after ${this.confirmed} confirmed events: ${errorMessage(cause)}`,
      { cause },
    );
  }
}

/**
 * Publishes events in order on a confirm channel. Resolves only once the broker has
 * confirmed every one of them; rejects if any is refused or the connection drops.
 */
export async function publishEvents(
  url: string,
  events: Iterable<CloudEvent> | AsyncIterable<CloudEvent>,
  options: PublishOptions = {},
): Promise<PublishResult> {
  checkWindow(options.window ?? DEFAULT_CONFIRM_WINDOW);
  const startedAt = performance.now();
  let confirmed = 0;
  const sink = await BusSink.open<CloudEvent>(url, {
    exchange: options.exchange,
    window: options.window,
    onConfirmed: (done) => {
      confirmed += done.length;
      options.onProgress?.(confirmed);
    },
  });
  try {
    if (Symbol.iterator in events) {
      for (const event of events) {
        const wait = sink.send(event);
        if (wait) await wait;
      }
    } else {
      for await (const event of events) {
        const wait = sink.send(event);
        if (wait) await wait;
      }
    }
    await sink.flush();
    options.onProgress?.(confirmed);
  } finally {
    await sink.close();
  }
  return { published: confirmed, elapsedMs: performance.now() - startedAt };
}
