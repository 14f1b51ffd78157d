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
import { sql } from 'drizzle-orm';
import { DEAD_LETTER_EXCHANGE, type Broker } from './broker.js';
import type { Db, Tx } from './db.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Outbox } from './outbox.js';
import type { KitTables } from './tables.js';
import { transaction, type TxContext } from './tx-context.js';
import { unnestRows } from './unnest.js';

export interface HandlerContext {
  tx: Tx;
  outbox: Outbox;
  logger: Logger;
}

export type EventHandler<T extends EventType = EventType> = (
  ctx: HandlerContext,
  event: TypedEvent<T>,
) => Promise<void>;

/**
 * A handler that takes a transaction's fresh events of its types as one set, so it can write
 * each table with one statement instead of several per event. The set is in arrival order,
 * and each partition's events (one subject's, by default) keep their order relative to other
 * handlers' events (`groupByHandler`). It must give the same result as handling its events
 * one by one in that order: one subject's events may come together (keep the newest revision
 * per key before an `INSERT … ON CONFLICT DO UPDATE`, which cannot touch a row twice), and
 * what is keyed by source event must still happen once. The same object registered under
 * several types receives their events in one set.
 */
export interface BatchHandler<T extends EventType = EventType> {
  batch: (ctx: HandlerContext, events: TypedEvent<T>[]) => Promise<void>;
}

export type Handler<T extends EventType = EventType> = EventHandler<T> | BatchHandler<T>;

/** A map from event type to its handler, per event or per set, typed per entry. */
export type Handlers = { [T in EventType]?: Handler<T> };

export function isBatchHandler<T extends EventType>(
  handler: Handler<T>,
): handler is BatchHandler<T> {
  return typeof handler !== 'function';
}

/** Runs `handler` on `events` in order: as one set, or one by one for a per-event handler. */
export async function runHandler<T extends EventType>(
  handler: Handler<T>,
  ctx: HandlerContext,
  events: TypedEvent<T>[],
): Promise<void> {
  if (events.length === 0) return;
  if (isBatchHandler(handler)) {
    await handler.batch(ctx, events);
    return;
  }
  for (const event of events) {
    await handler({ ...ctx, logger: ctx.logger.child({ event_id: event.id }) }, event);
  }
}

/** Events handled together: by one batch handler, or one event by a per-event handler. */
interface HandlerGroup {
  handler: Handler;
  events: TypedEvent<EventType>[];
}

/**
 * Splits events (in arrival order) into the groups their handlers run as, in order. An event
 * of a batch handler joins that handler's latest group when every earlier event of its
 * partition is in that group or an earlier one, else starts a new group; an event of a
 * per-event handler is a group of its own. So each partition's events keep their order.
 */
export function groupByHandler(
  events: TypedEvent<EventType>[],
  handlerOf: (event: TypedEvent<EventType>) => Handler,
  partitionOf: (event: TypedEvent<EventType>) => string,
): HandlerGroup[] {
  const groups: HandlerGroup[] = [];
  const latest = new Map<BatchHandler, number>();
  // The group of the last event seen of each partition: no later one may run before it.
  const reached = new Map<string, number>();
  for (const event of events) {
    const handler = handlerOf(event);
    const partition = partitionOf(event);
    const joinable = isBatchHandler(handler) ? latest.get(handler) : undefined;
    if (joinable !== undefined && (reached.get(partition) ?? -1) <= joinable) {
      groups[joinable]?.events.push(event);
      reached.set(partition, joinable);
      continue;
    }
    groups.push({ handler, events: [event] });
    if (isBatchHandler(handler)) latest.set(handler, groups.length - 1);
    reached.set(partition, groups.length - 1);
  }
  return groups;
}

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
  /** Most events handled in one transaction (1 turns batching off). */
  batchSize?: number | undefined;
  /** Batches (transactions) running at once; keep it below the pool size. */
  concurrency?: number | undefined;
  /**
   * Events with the same key are never handled in two transactions at once. Defaults to
   * tenant and subject; a service whose handlers take a per-tenant lock (profiles' audit
   * chain) partitions by tenant, so its batches queue behind each other instead of
   * deadlocking.
   */
  partitionKey?: ((event: TypedEvent<EventType>) => string) | undefined;
  /**
   * Called on each consumer transaction: `begin` before the first handler, with the
   * transaction's context. A service holds back per-tenant serialisation points (profiles'
   * audit chain) until a hook it adds with `ctx.onBeforeCommit`, so concurrent batches only
   * queue for the last moment; those hooks run after the last handler, before the outbox
   * rows the batch held back are written.
   */
  transaction?: TransactionHooks | undefined;
}

export interface TransactionHooks {
  begin?: (ctx: TxContext) => void;
}

interface Delivery {
  channel: ConfirmChannel;
  msg: ConsumeMessage;
  event: TypedEvent<EventType>;
  started: bigint;
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
  private readonly pending: Delivery[] = [];
  private running = 0;
  private readonly busy = new Set<string>();
  private readonly batchSize: number;
  private readonly concurrency: number;
  private stopping = false;
  private unregister: (() => void) | null = null;
  private setupTimer: NodeJS.Timeout | null = null;
  private readonly limit: number;

  constructor(private readonly options: ConsumerOptions) {
    const names = queueNames(options.service, options.queuePrefix);
    this.queue = names.queue;
    this.dlq = names.dlq;
    this.limit = options.deliveryLimit ?? 8;
    this.concurrency = options.concurrency ?? 4;
    // Batches can only be as large as the deliveries the broker lets us hold, shared out.
    const prefetch = options.prefetch ?? 200;
    this.batchSize = Math.max(
      1,
      Math.min(options.batchSize ?? 50, Math.floor(prefetch / this.concurrency)),
    );
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
      await channel.prefetch(this.options.prefetch ?? 200);
    } catch (err) {
      await channel.close().catch(() => undefined);
      throw err;
    }
    this.channel = channel;
    if (this.stopping) return;
    const { consumerTag } = await channel.consume(this.queue, (msg) => {
      if (msg) {
        this.onMessage(channel, msg);
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

  /**
   * Parses and checks a delivery at once (dead-lettering what can never succeed), then
   * queues it for a batch. While a service keeps up, a batch holds one event; under load,
   * events that arrived while earlier batches ran are handled together in one transaction.
   */
  private onMessage(channel: ConfirmChannel, msg: ConsumeMessage): void {
    this.inFlight += 1;
    const started = process.hrtime.bigint();
    let event: CloudEvent;
    try {
      event = fromWire(msg.content);
    } catch (err) {
      void this.settle(
        this.deadLetter(channel, msg, `malformed: ${(err as Error).message}`),
        String(msg.properties.type ?? 'unknown'),
        started,
      );
      return;
    }
    const type = event.type;
    if (!isEventType(type) || !this.options.handlers[type]) {
      this.options.metrics?.consumed.inc({ queue: this.queue, type, outcome: 'ignored' });
      channel.ack(msg);
      this.inFlight -= 1;
      return;
    }
    const parsed = EVENT_CATALOG[type].safeParse(event.data);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      void this.settle(this.deadLetter(channel, msg, `invalid payload: ${detail}`), type, started);
      return;
    }
    const typed = { ...event, data: parsed.data } as TypedEvent<typeof type>;
    this.pending.push({ channel, msg, event: typed, started });
    this.drain();
  }

  /**
   * Starts batches while there is work and fewer than `concurrency` are running. Events of
   * one partition (by default one subject, e.g. a customer) are never in two running batches,
   * so the locks their handlers take cannot deadlock between batches, and they are handled
   * in the order they arrived.
   */
  private drain(): void {
    while (this.pending.length > 0 && this.running < this.concurrency) {
      const { batch, keys } = this.takeBatch();
      if (batch.length === 0) return;
      this.running += 1;
      void this.runBatch(batch)
        .catch((err: unknown) => {
          // A channel closed under us: the broker redelivers what was not acked.
          this.options.logger.error({ err }, 'message handling failed unexpectedly');
        })
        .finally(() => {
          this.running -= 1;
          for (const key of keys) this.busy.delete(key);
          for (const d of batch) {
            this.options.metrics?.handlerDuration.observe(
              { queue: this.queue, type: d.event.type },
              Number(process.hrtime.bigint() - d.started) / 1e9,
            );
          }
          this.inFlight -= batch.length;
          this.drain();
        });
    }
  }

  /** Up to `batchSize` pending events, in order, skipping partitions another batch holds. */
  private takeBatch(): { batch: Delivery[]; keys: Set<string> } {
    const batch: Delivery[] = [];
    const rest: Delivery[] = [];
    const keys = new Set<string>();
    const skipped = new Set<string>();
    for (const d of this.pending) {
      const key = this.partitionOf(d.event);
      // A later event of a partition whose earlier event waits must wait too (order).
      const free = !this.busy.has(key) && !skipped.has(key);
      if (free && batch.length < this.batchSize) {
        batch.push(d);
        keys.add(key);
      } else {
        skipped.add(key);
        rest.push(d);
      }
    }
    for (const key of keys) this.busy.add(key);
    this.pending.splice(0, this.pending.length, ...rest);
    return { batch, keys };
  }

  private handlerOf(event: TypedEvent<EventType>): Handler | undefined {
    return this.options.handlers[event.type] as Handler | undefined;
  }

  private partitionOf(event: TypedEvent<EventType>): string {
    if (this.options.partitionKey) return this.options.partitionKey(event);
    return event.subject ? `${event.tenantid}/${event.subject}` : event.id;
  }

  private async settle(work: Promise<void>, type: string, started: bigint): Promise<void> {
    try {
      await work;
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

  private async runBatch(batch: Delivery[]): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only) {
      await this.processTraced(only);
      return;
    }
    const links = batch.flatMap((d) => {
      if (!d.event.traceparent) return [];
      const ctx = propagation.extract(ROOT_CONTEXT, { traceparent: d.event.traceparent });
      const spanContext = trace.getSpanContext(ctx);
      return spanContext ? [{ context: spanContext }] : [];
    });
    let outcomes: boolean[];
    try {
      outcomes = await tracer.startActiveSpan(
        `process batch`,
        {
          kind: SpanKind.CONSUMER,
          links,
          attributes: {
            'messaging.system': 'rabbitmq',
            'messaging.destination.name': this.queue,
            'messaging.batch.message_count': batch.length,
          },
        },
        async (span) => {
          try {
            return await this.handleBatch(batch.map((d) => d.event));
          } catch (err) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
            throw err;
          } finally {
            span.end();
          }
        },
      );
    } catch (err) {
      // One failing event (or a deadlock between batches) rolls the whole batch back: each
      // event is then handled on its own, with its own retries and dead-lettering.
      this.options.logger.warn(
        { err: (err as Error).message, size: batch.length },
        'batch rolled back; handling its events one by one',
      );
      for (const d of batch) {
        await this.processTraced(d).catch((e: unknown) => {
          this.options.logger.error({ err: e, type: d.event.type }, 'message handling failed');
        });
      }
      return;
    }
    batch.forEach((d, i) => {
      d.channel.ack(d.msg);
      this.options.metrics?.consumed.inc({
        queue: this.queue,
        type: d.event.type,
        outcome: outcomes[i] ? 'duplicate' : 'processed',
      });
    });
  }

  private async processTraced(d: Delivery): Promise<void> {
    const { event } = d;
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
            await this.process(d);
          } catch (err) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
            throw err;
          } finally {
            span.end();
          }
        },
      ),
    );
  }

  private async process({ channel, msg, event }: Delivery): Promise<void> {
    const { logger, metrics } = this.options;
    const type = event.type;
    try {
      const [duplicate] = await this.handleBatch([event]);
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

  /**
   * Runs the handlers of `events` in one transaction together with their inbox rows, so a
   * redelivered event has no second effect: batch handlers once per group of their events
   * (`groupByHandler`), so each partition's events keep their order. Outbox rows the
   * handlers append are written once at the end. Returns, per event, whether it was a duplicate.
   */
  private async handleBatch(events: TypedEvent<EventType>[]): Promise<boolean[]> {
    const { db, tables, outbox, logger } = this.options;
    return transaction(db, async (ctx) => {
      const { db: tx } = ctx;
      // The batch's inbox rows in one statement, one array per column, however long the batch.
      const rows = events.map((e) => ({ consumer: this.queue, eventId: e.id, eventType: e.type }));
      const inserted = await tx.execute<{ event_id: string }>(sql`
        INSERT INTO ${tables.inbox} ${unnestRows(tables.inbox, rows)}
        ON CONFLICT DO NOTHING
        RETURNING event_id`);
      const fresh = new Set(inserted.rows.map((r) => r.event_id));
      if (fresh.size === 0) return events.map(() => true);
      // Before commit, in this order: the service's own hooks, then the held-back outbox rows.
      this.options.transaction?.begin?.(ctx);
      outbox.defer(ctx);
      ctx.onBeforeCommit(() => outbox.flush(ctx));
      const outcomes: boolean[] = [];
      const handled: TypedEvent<EventType>[] = [];
      for (const event of events) {
        // A second copy of the same event in one batch is a duplicate too.
        const duplicate = !this.handlerOf(event) || !fresh.delete(event.id);
        outcomes.push(duplicate);
        if (!duplicate) handled.push(event);
      }
      const groups = groupByHandler(
        handled,
        (event) => this.handlerOf(event) as Handler,
        (event) => this.partitionOf(event),
      );
      for (const { handler, events: group } of groups) {
        const bound = isBatchHandler(handler)
          ? logger.child({ event_ids: group.map((e) => e.id) })
          : logger;
        await runHandler(handler, { tx, outbox, logger: bound }, group);
      }
      return outcomes;
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
