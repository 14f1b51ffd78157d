import {
  EVENT_CATALOG,
  exchangeOf,
  fromWire,
  isEventType,
  newId,
  type CloudEvent,
  type EventType,
  type TypedEvent,
} from '@crm/contracts';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { Gauge } from 'prom-client';
import { DEAD_LETTER_EXCHANGE, type Broker } from './broker.js';
import type { Db, Tx } from './db.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Outbox } from './outbox.js';
import type { KitTables } from './tables.js';

export interface HandlerContext {
  tx: Tx;
  outbox: Outbox;
  logger: Logger;
}

export type EventHandler<T extends EventType = EventType> = (
  ctx: HandlerContext,
  event: TypedEvent<T>,
) => Promise<void>;

/** A map from event type to its handler, typed per entry. */
export type Handlers = { [T in EventType]?: EventHandler<T> };

export interface ConsumerOptions {
  /** Service name: the queue is `crm.<service>`, its dead letters `crm.<service>.dlq`. */
  service: string;
  /** Test runs prefix queue names so parallel suites never share a queue. */
  queuePrefix?: string | undefined;
  broker: Broker;
  db: Db;
  tables: KitTables;
  outbox: Outbox;
  handlers: Handlers;
  logger: Logger;
  metrics?: Metrics | undefined;
  prefetch?: number | undefined;
  deliveryLimit?: number | undefined;
  retryBaseMs?: number | undefined;
  retryMaxMs?: number | undefined;
}

export function queueNames(service: string, prefix = ''): { queue: string; dlq: string } {
  const queue = `${prefix}crm.${service}`;
  return { queue, dlq: `${queue}.dlq` };
}

class PoisonMessage extends Error {
  override readonly name = 'PoisonMessage';
}

const tracer = trace.getTracer('crm-consumer');
const RESETUP_DELAY_MS = 500;

/**
 * One durable quorum queue per service, manual ack, bounded prefetch. Each event is
 * handled in one transaction together with its inbox row, so a redelivery has no second
 * effect. Failures are retried with back-off; at the delivery limit, or at once for a
 * message that can never succeed, the message goes to the dead-letter queue with its reason.
 */
export class Consumer {
  readonly queue: string;
  readonly dlq: string;
  private channel: ConfirmChannel | null = null;
  private consumerTag: string | null = null;
  private inFlight = 0;
  private stopping = false;
  private unregister: (() => void) | null = null;
  private setupTimer: NodeJS.Timeout | null = null;
  private readonly limit: number;

  constructor(private readonly options: ConsumerOptions) {
    const names = queueNames(options.service, options.queuePrefix);
    this.queue = names.queue;
    this.dlq = names.dlq;
    this.limit = options.deliveryLimit ?? 8;
    if (options.metrics) {
      const queue = this.queue;
      const depthNow = () => this.depth();
      new Gauge({
        name: 'consumer_queue_depth',
        help: 'Messages ready in the service queue (consumer lag)',
        labelNames: ['queue'] as const,
        registers: [options.metrics.registry],
        async collect() {
          const depth = await depthNow();
          if (depth !== null) this.set({ queue }, depth);
        },
      });
    }
  }

  get types(): EventType[] {
    return Object.keys(this.options.handlers).filter(isEventType);
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.unregister = await this.options.broker.register((model) => this.setup(model));
  }

  /** Declares the queues and bindings, then consumes. Runs again after every reconnect. */
  private async setup(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = null;
      this.consumerTag = null;
      // A channel error or a cancel leaves the connection up, so no reconnect would set the
      // consumer up again: do it here.
      if (!this.stopping) this.scheduleSetup(model);
    });
    try {
      await declareServiceQueues(channel, this.queue, this.dlq, this.limit);
      for (const type of this.types) {
        await channel.bindQueue(this.queue, exchangeOf(type), type);
      }
      await channel.prefetch(this.options.prefetch ?? 50);
    } catch (err) {
      await channel.close().catch(() => undefined);
      throw err;
    }
    this.channel = channel;
    if (this.stopping) return;
    const { consumerTag } = await channel.consume(this.queue, (msg) => {
      if (msg) {
        void this.onMessage(channel, msg);
        return;
      }
      // The broker cancelled the consumer (its queue was deleted): start over on a new channel.
      channel.close().catch(() => undefined);
    });
    this.consumerTag = consumerTag;
  }

  private scheduleSetup(model: ChannelModel): void {
    if (this.setupTimer) return;
    this.setupTimer = setTimeout(() => {
      this.setupTimer = null;
      if (this.stopping || this.channel) return;
      this.setup(model).catch((err: unknown) => {
        // Retried until it works or a reconnect (which runs setup itself) gives us a channel.
        this.options.logger.debug({ err }, 'consumer channel not reopened yet');
        if (!this.stopping && !this.channel) this.scheduleSetup(model);
      });
    }, RESETUP_DELAY_MS);
  }

  private async onMessage(channel: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    this.inFlight += 1;
    const started = process.hrtime.bigint();
    let type = String(msg.properties.type ?? 'unknown');
    try {
      let event: CloudEvent;
      try {
        event = fromWire(msg.content);
        type = event.type;
      } catch (err) {
        await this.deadLetter(channel, msg, `malformed: ${(err as Error).message}`);
        return;
      }
      const parent = event.traceparent
        ? propagation.extract(ROOT_CONTEXT, { traceparent: event.traceparent })
        : ROOT_CONTEXT;
      await context.with(parent, () =>
        tracer.startActiveSpan(
          `process ${event.type}`,
          {
            kind: SpanKind.CONSUMER,
            attributes: {
              'messaging.system': 'rabbitmq',
              'messaging.destination.name': this.queue,
              'messaging.message.id': event.id,
              'crm.tenant_id': event.tenantid,
            },
          },
          async (span) => {
            try {
              await this.process(channel, msg, event);
            } catch (err) {
              span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
              throw err;
            } finally {
              span.end();
            }
          },
        ),
      );
    } catch (err) {
      this.options.logger.error({ err, type }, 'message handling failed unexpectedly');
    } finally {
      this.options.metrics?.handlerDuration.observe(
        { queue: this.queue, type },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      this.inFlight -= 1;
    }
  }

  private async process(
    channel: ConfirmChannel,
    msg: ConsumeMessage,
    event: CloudEvent,
  ): Promise<void> {
    const { logger, metrics } = this.options;
    if (!isEventType(event.type) || !this.options.handlers[event.type]) {
      metrics?.consumed.inc({ queue: this.queue, type: event.type, outcome: 'ignored' });
      channel.ack(msg);
      return;
    }
    const type: EventType = event.type;
    const parsed = EVENT_CATALOG[type].safeParse(event.data);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      await this.deadLetter(channel, msg, `invalid payload: ${detail}`);
      return;
    }
    const typed = { ...event, data: parsed.data } as TypedEvent<typeof type>;
    try {
      const duplicate = await this.handleOnce(typed);
      channel.ack(msg);
      metrics?.consumed.inc({
        queue: this.queue,
        type,
        outcome: duplicate ? 'duplicate' : 'processed',
      });
    } catch (err) {
      const attempt = deliveryCountOf(msg) + 1;
      if (err instanceof PoisonMessage || attempt >= this.limit) {
        await this.deadLetter(channel, msg, `${(err as Error).message} (attempt ${attempt})`);
        return;
      }
      logger.warn({ err: (err as Error).message, type, event_id: event.id, attempt }, 'retrying');
      metrics?.consumed.inc({ queue: this.queue, type, outcome: 'retried' });
      const base = this.options.retryBaseMs ?? 200;
      const delay = Math.min(this.options.retryMaxMs ?? 10_000, base * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, delay));
      channel.nack(msg, false, true);
    }
  }

  /** Runs the handler and records the event in the inbox in one transaction. */
  private async handleOnce<T extends EventType>(event: TypedEvent<T>): Promise<boolean> {
    const handler = this.options.handlers[event.type];
    if (!handler) return false;
    const { db, tables, outbox, logger } = this.options;
    return db.transaction(async (tx) => {
      const inserted = await tx
        .insert(tables.inbox)
        .values({ consumer: this.queue, eventId: event.id, eventType: event.type })
        .onConflictDoNothing()
        .returning({ eventId: tables.inbox.eventId });
      if (inserted.length === 0) return true;
      await handler({ tx, outbox, logger: logger.child({ event_id: event.id }) }, event);
      return false;
    });
  }

  /** Publishes to the DLQ with the reason, waits for the confirm, then acks the original. */
  private async deadLetter(channel: ConfirmChannel, msg: ConsumeMessage, reason: string) {
    const attempt = deliveryCountOf(msg) + 1;
    this.options.logger.error(
      { reason, type: msg.properties.type, message_id: msg.properties.messageId },
      'dead-lettering message',
    );
    channel.publish(DEAD_LETTER_EXCHANGE, this.dlq, msg.content, {
      ...msg.properties,
      persistent: true,
      headers: {
        ...(msg.properties.headers ?? {}),
        'x-crm-dead-letter-reason': reason.slice(0, 2000),
        'x-crm-delivery-count': attempt,
        'x-crm-queue': this.queue,
        'x-crm-dead-letter-id': newId(),
      },
    });
    await channel.waitForConfirms();
    channel.ack(msg);
    this.options.metrics?.consumed.inc({
      queue: this.queue,
      type: String(msg.properties.type ?? 'unknown'),
      outcome: 'dead_lettered',
    });
  }

  async depth(): Promise<number | null> {
    const channel = this.channel;
    if (!channel) return null;
    try {
      const { messageCount } = await channel.checkQueue(this.queue);
      return messageCount;
    } catch {
      return null;
    }
  }

  /** Stops taking messages, waits for those in hand, and lets their acks settle. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.unregister?.();
    if (this.setupTimer) clearTimeout(this.setupTimer);
    this.setupTimer = null;
    const channel = this.channel;
    if (channel && this.consumerTag) {
      await channel.cancel(this.consumerTag).catch(() => undefined);
    }
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (channel) {
      // A synchronous round trip after the last ack, so the broker has taken it in.
      await channel.checkQueue(this.queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    this.channel = null;
  }
}

function deliveryCountOf(msg: ConsumeMessage): number {
  const raw: unknown = msg.properties.headers?.['x-delivery-count'];
  return typeof raw === 'number' ? raw : 0;
}

/** Quorum queue with an explicit delivery limit, and its dead-letter queue. */
export async function declareServiceQueues(
  channel: Channel,
  queue: string,
  dlq: string,
  deliveryLimit: number,
): Promise<void> {
  await declareDeadLetterQueue(channel, dlq);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
      'x-dead-letter-routing-key': dlq,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  });
}

export { PoisonMessage };

export async function declareDeadLetterQueue(channel: Channel, dlq: string): Promise<void> {
  await channel.assertQueue(dlq, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(dlq, DEAD_LETTER_EXCHANGE, dlq);
}
