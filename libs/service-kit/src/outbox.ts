import { exchangeOf, isEventType, CRM_EXCHANGE, type CloudEvent } from '@crm/contracts';
import { context, propagation } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import type { Executor } from './db.js';
import { HeldBack } from './held-back.js';
import type { TxContext } from './tx-context.js';
import type { KitTables } from './tables.js';

export function outboxChannel(schema: string): string {
  return `crm_outbox_${schema}`;
}

/** The current W3C traceparent, so the event carries the trace across the bus. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

export interface OutboxMessage {
  event: CloudEvent;
  /**
   * The outbox row's id; defaults to the event id, so one event cannot be appended twice.
   * A replay sends an event again and needs a row of its own.
   */
  id?: string;
  /** Defaults to the exchange of the event's type; a replay names a queue via ''. */
  exchange?: string;
  routingKey?: string;
}

/**
 * Events are written in the same transaction as the change they describe; the relay
 * publishes them after commit. NOTIFY is transactional too, so it fires only on commit.
 */
export class Outbox {
  /** Appends a transaction holds back (on its `TxContext`) and writes at once by `flush`. */
  private readonly held = new HeldBack<OutboxRow>((tx, rows) => this.write(tx, rows));

  constructor(
    private readonly tables: KitTables,
    private readonly schema: string,
  ) {}

  async append(tx: Executor, messages: OutboxMessage | OutboxMessage[]): Promise<void> {
    const list = Array.isArray(messages) ? messages : [messages];
    if (list.length === 0) return;
    const traceparent = currentTraceparent();
    const rows = list.map(({ event, id, exchange, routingKey }) => {
      const envelope = traceparent && !event.traceparent ? { ...event, traceparent } : event;
      return {
        id: id ?? event.id,
        exchange: exchange ?? (isEventType(event.type) ? exchangeOf(event.type) : CRM_EXCHANGE),
        routingKey: routingKey ?? event.type,
        tenantId: event.tenantid,
        envelope,
      };
    });
    await this.held.add(tx, rows);
  }

  /**
   * Holds back what is appended in the transaction of `ctx` until `flush(ctx)`, so a
   * transaction that handles many events writes their outbox rows in one statement and
   * notifies the relay once. The rows are still written inside it: the guarantee is unchanged.
   */
  defer(ctx: TxContext): void {
    this.held.defer(ctx);
  }

  async flush(ctx: TxContext): Promise<void> {
    await this.held.flush(ctx);
  }

  /**
   * Hands what a savepoint held back over to its transaction once the savepoint succeeded:
   * held there too when the transaction defers, written now otherwise. A savepoint that was
   * rolled back simply never hands over, and what it held is dropped with it.
   */
  async handOver(from: TxContext, to: TxContext): Promise<void> {
    await this.held.handOver(from, to);
  }

  private async write(tx: Executor, rows: OutboxRow[]): Promise<void> {
    await tx.insert(this.tables.outbox).values(rows);
    await tx.execute(sql`SELECT pg_notify(${outboxChannel(this.schema)}, '')`);
  }
}

interface OutboxRow {
  id: string;
  exchange: string;
  routingKey: string;
  tenantId: string;
  envelope: CloudEvent;
}
