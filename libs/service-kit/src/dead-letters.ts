import { DeadLetterPage, adminRoutes, fromWire, newId, type DeadLetter } from '@crm/contracts';
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { and, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { handle, type BoundRoute } from './routes.js';
import type { Broker } from './broker.js';
import { declareDeadLetterQueue } from './consumer.js';
import type { Db } from './db.js';
import { AppError } from './errors.js';
import type { Logger } from './logger.js';
import type { Outbox } from './outbox.js';
import { keysetPage } from './paging.js';
import type { KitTables } from './tables.js';

type DeadLetterRow = KitTables['deadLetters']['$inferSelect'];

function toDto(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    queue: row.queue,
    event_id: row.eventId,
    event_type: row.eventType,
    tenant_id: row.tenantId,
    reason: row.reason,
    delivery_count: row.deliveryCount,
    payload: row.payload,
    dead_lettered_at: row.deadLetteredAt.toISOString(),
    replayed_at: row.replayedAt ? row.replayedAt.toISOString() : null,
  };
}

function headerString(msg: ConsumeMessage, name: string): string | undefined {
  const v: unknown = msg.properties.headers?.[name];
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}

/**
 * Acks or nacks unless the channel closed meanwhile: the broker then delivers the message
 * again, and storing it again is a no-op (the row's id travels in its headers).
 */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // the channel is gone; see above
  }
}

/** Keyset of the listing, at the database's microsecond precision (a Date keeps only ms). */
const ListCursor = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);

/**
 * Moves dead letters from the broker into the service's table, where an admin can page
 * through them and replay one; the row is written before the message is acked.
 */
export class DeadLetterStore {
  private unregister: (() => void) | null = null;
  private stopping = false;
  private setupTimer: NodeJS.Timeout | null = null;
  private tag: { channel: import('amqplib').Channel; consumerTag: string } | null = null;

  constructor(
    private readonly options: {
      broker: Broker;
      db: Db;
      tables: KitTables;
      outbox: Outbox;
      queue: string;
      dlq: string;
      logger: Logger;
    },
  ) {}

  async start(): Promise<void> {
    this.stopping = false;
    this.unregister = await this.options.broker.register((model) => this.setup(model));
  }

  private async setup(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.tag?.channel !== channel) return;
      this.tag = null;
      // A channel error or a cancel leaves the connection up: no reconnect would restart us.
      if (!this.stopping) this.scheduleSetup(model);
    });
    try {
      await channel.prefetch(20);
      await declareDeadLetterQueue(channel, this.options.dlq);
    } catch (err) {
      await channel.close().catch(() => undefined);
      throw err;
    }
    const { consumerTag } = await channel.consume(this.options.dlq, (msg) => {
      if (!msg) {
        channel.close().catch(() => undefined);
        return;
      }
      this.store(msg).then(
        () => {
          settle(() => {
            channel.ack(msg);
          });
        },
        (err: unknown) => {
          this.options.logger.error({ err }, 'could not store dead letter; requeueing');
          setTimeout(() => {
            settle(() => {
              channel.nack(msg, false, true);
            });
          }, 1000);
        },
      );
    });
    this.tag = { channel, consumerTag };
  }

  private scheduleSetup(model: ChannelModel): void {
    if (this.setupTimer) return;
    this.setupTimer = setTimeout(() => {
      this.setupTimer = null;
      if (this.stopping || this.tag) return;
      this.setup(model).catch((err: unknown) => {
        this.options.logger.debug({ err }, 'dead-letter channel not reopened yet');
        if (!this.stopping && !this.tag) this.scheduleSetup(model);
      });
    }, 500);
  }

  private async store(msg: ConsumeMessage): Promise<void> {
    const { db, tables } = this.options;
    let payload: unknown;
    let tenantId: string | null = null;
    let eventId = String(msg.properties.messageId ?? 'unknown');
    let eventType = String(msg.properties.type ?? 'unknown');
    try {
      const event = fromWire(msg.content);
      tenantId = UUID.test(event.tenantid) ? event.tenantid : null;
      eventId = event.id;
      eventType = event.type;
      // Postgres text and jsonb cannot hold U+0000: such an event is kept as its bytes, or it
      // could never be stored and would come back for ever.
      payload = JSON.stringify(event).includes('\\u0000')
        ? { raw_base64: msg.content.toString('base64') }
        : event;
    } catch {
      payload = { raw_base64: msg.content.toString('base64') };
    }
    eventId = withoutNul(eventId);
    eventType = withoutNul(eventType);
    const deliveryCount: unknown = msg.properties.headers?.['x-crm-delivery-count'];
    await db
      .insert(tables.deadLetters)
      .values({
        id: headerString(msg, 'x-crm-dead-letter-id') ?? newId(),
        queue: headerString(msg, 'x-crm-queue') ?? this.options.queue,
        eventId,
        eventType,
        tenantId,
        reason: withoutNul(
          headerString(msg, 'x-crm-dead-letter-reason') ??
            headerString(msg, 'x-first-death-reason') ??
            'unknown',
        ),
        deliveryCount: typeof deliveryCount === 'number' ? deliveryCount : 0,
        payload,
      })
      .onConflictDoNothing();
  }

  /** A tenant's admin sees its own tenant's dead letters only. */
  async list(
    tenantId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ data: DeadLetter[]; next_cursor: string | null }> {
    const { db, tables } = this.options;
    const t = tables.deadLetters;
    const exactAt = sql<string>`to_char(${t.deadLetteredAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    const { rows, next_cursor } = await keysetPage(
      { limit, cursor },
      {
        cursor: ListCursor,
        fetch: (after, take) =>
          db
            .select({ ...getTableColumns(t), exactAt })
            .from(t)
            .where(
              and(
                eq(t.tenantId, tenantId),
                after &&
                  sql`(${t.deadLetteredAt}, ${t.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)`,
              ),
            )
            .orderBy(desc(t.deadLetteredAt), desc(t.id))
            .limit(take),
        cursorOf: (last) => [last.exactAt, last.id],
      },
    );
    return { data: rows.map(toDto), next_cursor };
  }

  /** Puts the message back on the service queue through the outbox, once. */
  async replay(tenantId: string, id: string): Promise<DeadLetter> {
    const { db, tables, outbox } = this.options;
    const t = tables.deadLetters;
    return db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(t)
        .where(and(eq(t.id, id), eq(t.tenantId, tenantId)))
        .for('update');
      if (!row) throw new AppError('not_found', 'Dead letter not found');
      if (row.replayedAt) throw new AppError('conflict', 'This dead letter was already replayed');
      let event;
      try {
        event = fromWire(Buffer.from(JSON.stringify(row.payload)));
      } catch {
        throw new AppError('conflict', 'A malformed message cannot be replayed');
      }
      await outbox.append(tx, {
        event,
        id: newId(),
        exchange: '',
        routingKey: this.options.queue,
      });
      const [updated] = await tx
        .update(t)
        .set({ replayedAt: new Date() })
        .where(and(eq(t.id, id), isNull(t.replayedAt)))
        .returning();
      if (!updated) throw new AppError('conflict', 'This dead letter was already replayed');
      return toDto(updated);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.setupTimer) clearTimeout(this.setupTimer);
    this.setupTimer = null;
    this.unregister?.();
    if (this.tag) {
      await this.tag.channel.cancel(this.tag.consumerTag).catch(() => undefined);
      await this.tag.channel.close().catch(() => undefined);
    }
    this.tag = null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '');
}

/** Admin routes: `/crm/admin/services/<service>/dead-letters[/<id>/replay]`, for this service. */
export function deadLetterRoutes(store: DeadLetterStore): BoundRoute[] {
  return [
    handle(adminRoutes.listDeadLetters, async ({ principal, query }) =>
      DeadLetterPage.parse(await store.list(principal.tenant, query.limit, query.cursor)),
    ),
    handle(adminRoutes.replayDeadLetter, ({ principal, params }) =>
      store.replay(principal.tenant, params.id),
    ),
  ];
}
