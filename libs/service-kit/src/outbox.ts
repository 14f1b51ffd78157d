import { exchangeOf, isEventType, CRM_EXCHANGE, type CloudEvent } from '@crm/contracts';
import { context, propagation } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import type { Executor } from './db.js';
import { HeldBack } from './held-back.js';
import { unnestRows } from './unnest.js';
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
 * A transaction that handles many events holds its appends back (`defer`) and writes them
 * in one statement, notifying the relay once, at `flush`: still inside the transaction, so
 * the guarantee is unchanged.
 */
export class Outbox extends HeldBack<OutboxRow> {
  constructor(tables: KitTables, schema: string) {
    const t = tables.outbox;
    // One statement for any number of rows: the rows as arrays (unnestRows), and the relay
    // notified once (NOTIFY is transactional: it fires on commit).
    super(async (tx, rows) => {
      await tx.execute(sql`
        WITH appended AS (INSERT INTO ${t} ${unnestRows(t, rows)})
        SELECT pg_notify(${outboxChannel(schema)}, '')`);
    });
  }

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
    await this.add(tx, rows);
  }
}

interface OutboxRow {
  id: string;
  exchange: string;
  routingKey: string;
  tenantId: string;
  envelope: CloudEvent;
}
