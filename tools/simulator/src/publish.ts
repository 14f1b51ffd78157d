import { BOOKINGX_EXCHANGE, toWire, type CloudEvent } from '@crm/contracts';
import { connect } from 'amqplib';

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

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Publishes events in order on a confirm channel. Resolves only once the broker has
 * confirmed every one of them; rejects if any is refused or the connection drops.
 */
export async function publishEvents(
  url: string,
  events: Iterable<CloudEvent>,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const exchange = options.exchange ?? BOOKINGX_EXCHANGE;
  const window = options.window ?? DEFAULT_CONFIRM_WINDOW;
  if (!Number.isSafeInteger(window) || window < 1) {
    throw new RangeError(`window must be a positive integer, got ${window}`);
  }
  const startedAt = performance.now();

  const connection = await connect(url).catch((err: unknown) => {
    throw new PublishError(`cannot connect to RabbitMQ at ${redactUrl(url)}: ${message(err)}`, {
      cause: err,
    });
  });
  // The first error explains a later "channel closed" better than that message does.
  let failure: Error | undefined;
  connection.on('error', (err) => {
    failure ??= err;
  });

  let confirmed = 0;
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (err) => {
      failure ??= err;
    });
    await channel.assertExchange(exchange, 'topic', { durable: true });

    let inFlight = 0;
    const settle = async () => {
      await channel.waitForConfirms();
      confirmed += inFlight;
      inFlight = 0;
      options.onProgress?.(confirmed);
    };
    for (const event of events) {
      const wire = toWire(event);
      channel.publish(exchange, wire.routingKey, wire.content, {
        ...wire.properties,
        mandatory: false,
      });
      inFlight += 1;
      if (inFlight >= window) await settle();
    }
    await settle();
    await channel.close();
  } catch (err) {
    const cause = failure ?? err;
    throw new PublishError(
      `publishing to ${exchange} failed after ${confirmed} confirmed events: ${message(cause)}`,
      { cause },
    );
  } finally {
    await connection.close().catch(() => undefined);
  }
  return { published: confirmed, elapsedMs: performance.now() - startedAt };
}
