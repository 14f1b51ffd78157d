import { CLOUDEVENTS_CONTENT_TYPE } from '@crm/contracts';
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import pg from 'pg';
import type { Broker } from './broker.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { outboxChannel } from './outbox.js';

export interface RelayOptions {
  pool: pg.Pool;
  databaseUrl: string;
  schema: string;
  broker: Broker;
  logger: Logger;
  metrics?: Metrics | undefined;
  batchSize?: number;
  pollMs?: number;
  /** Test seam: runs after rows are claimed and before they are published. */
  afterClaim?: (ids: string[]) => void | Promise<void>;
}

/**
 * A claimed row: the envelope as the text Postgres holds (published as those bytes, never
 * parsed and serialised again), with the few attributes the message properties need.
 */
interface Row {
  id: string;
  exchange: string;
  routing_key: string;
  envelope: string;
  event_id: string;
  event_type: string;
  tenant_id: string;
  event_time: string;
  traceparent: string | null;
  attempts: number;
}

const MAX_BACKOFF_MS = 60_000;
const REOPEN_DELAY_MS = 250;
const LISTEN_RETRY_MS = 1000;

/**
 * Publishes committed outbox rows with publisher confirms and `mandatory`; a row is marked
 * sent only when the broker confirmed it and did not return it. Rows are claimed with
 * FOR UPDATE SKIP LOCKED so any number of replicas can relay side by side.
 */
export class OutboxRelay {
  private channel: ConfirmChannel | null = null;
  private readonly returned = new Set<string>();
  private listener: pg.Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private reopenTimer: NodeJS.Timeout | null = null;
  private listenTimer: NodeJS.Timeout | null = null;
  private running = false;
  private pending = false;
  private draining: Promise<void> | null = null;
  private stopped = true;
  private unregister: (() => void) | null = null;
  private lastPurge = 0;

  constructor(private readonly options: RelayOptions) {}

  private get table(): string {
    return `${pg.escapeIdentifier(this.options.schema)}.outbox`;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.unregister = await this.options.broker.register((model) => this.openChannel(model));
    await this.listen();
    this.pollTimer = setInterval(() => {
      this.wake();
    }, this.options.pollMs ?? 1000);
    this.wake();
  }

  private async openChannel(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('return', (msg: Message) => {
      const id = msg.properties.messageId as string | undefined;
      if (id) this.returned.add(id);
    });
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = null;
      // A channel error (say, an exchange that does not exist) closes the channel but not the
      // connection, so no reconnect will bring a new one: open it again ourselves.
      if (!this.stopped) this.scheduleReopen(model);
    });
    channel.on('error', () => undefined);
    if (this.stopped) {
      await channel.close().catch(() => undefined);
      return;
    }
    this.channel = channel;
    this.wake();
  }

  private scheduleReopen(model: ChannelModel): void {
    if (this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (this.stopped || this.channel) return;
      // Fails when the whole connection went away; the broker's reconnect opens the channel then.
      this.openChannel(model).catch(() => undefined);
    }, REOPEN_DELAY_MS);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    const state = { retried: false };
    // A failed connect may also emit 'error': one lost client schedules one new listener.
    const retryLater = (message: string) => {
      if (state.retried) return;
      state.retried = true;
      if (this.listener === client) this.listener = null;
      this.options.logger.warn({ err: message }, 'outbox listener lost; polling until back');
      client.end().catch(() => undefined);
      this.listenTimer = setTimeout(() => {
        this.listenTimer = null;
        void this.listen().catch(() => undefined);
      }, LISTEN_RETRY_MS);
    };
    client.on('notification', () => {
      this.wake();
    });
    client.on('error', (err) => {
      retryLater(err.message);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(outboxChannel(this.options.schema))}`);
    } catch (err) {
      retryLater((err as Error).message);
      return;
    }
    if (this.isStopped() || state.retried) {
      // stop() ran while this (re)connect was under way and found no listener to close.
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  /** Read through a call: `stopped` changes while a method awaits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  /** Runs the relay now, or once more after the run in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = true;
    this.draining = this.drain().finally(() => {
      this.running = false;
      this.draining = null;
      if (this.pending && !this.stopped) {
        this.pending = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      let published: number;
      do {
        published = await this.relayBatch();
      } while (published > 0 && !this.stopped);
      await this.purgeSent();
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'outbox relay pass failed');
    }
  }

  /** Claims one batch, publishes it, records the outcome; returns how many were confirmed. */
  async relayBatch(): Promise<number> {
    const channel = this.channel;
    if (!channel) return 0;
    const client = await this.options.pool.connect();
    // A connection that cannot even roll back is broken: the pool drops it instead of reusing it.
    const broken: { err?: Error } = {};
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<Row>(
        `SELECT id, exchange, routing_key, envelope::text AS envelope, attempts,
                envelope->>'id' AS event_id, envelope->>'type' AS event_type,
                envelope->>'tenantid' AS tenant_id, envelope->>'time' AS event_time,
                envelope->>'traceparent' AS traceparent
           FROM ${this.table}
         WHERE sent_at IS NULL AND available_at <= now()
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 200],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      await this.options.afterClaim?.(rows.map((r) => r.id));
      const outcomes = await Promise.all(rows.map((row) => this.publish(channel, row)));
      const sent: string[] = [];
      const failed: { id: string; error: string; attempts: number }[] = [];
      rows.forEach((row, i) => {
        // Returns name the message id, which is the event's id, not the row's.
        const wasReturned = this.returned.delete(row.event_id);
        const error = outcomes[i] ?? (wasReturned ? 'returned: unroutable' : null);
        if (error) failed.push({ id: row.id, error, attempts: row.attempts + 1 });
        else sent.push(row.id);
      });
      if (sent.length > 0) {
        await client.query(`UPDATE ${this.table} SET sent_at = now() WHERE id = ANY($1::uuid[])`, [
          sent,
        ]);
      }
      for (const f of failed) {
        const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(f.attempts, 10));
        await client.query(
          `UPDATE ${this.table} SET attempts = $2, last_error = $3,
             available_at = now() + ($4::int * interval '1 millisecond') WHERE id = $1`,
          [f.id, f.attempts, f.error, backoff],
        );
        this.options.logger.warn(
          { event_id: f.id, error: f.error },
          'event not accepted by broker',
        );
      }
      await client.query('COMMIT');
      this.options.metrics?.outboxPublished.inc(sent.length);
      if (failed.length > 0) this.options.metrics?.outboxFailed.inc(failed.length);
      return sent.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken.err = err as Error;
      });
      throw err;
    } finally {
      client.release(broken.err);
    }
  }

  private publish(channel: ConfirmChannel, row: Row): Promise<string | null> {
    const headers: Record<string, string> = { 'x-tenant-id': row.tenant_id };
    if (row.traceparent) headers.traceparent = row.traceparent;
    return new Promise((resolve) => {
      try {
        channel.publish(
          row.exchange,
          row.routing_key,
          Buffer.from(row.envelope, 'utf8'),
          {
            mandatory: true,
            persistent: true,
            contentType: CLOUDEVENTS_CONTENT_TYPE,
            messageId: row.event_id,
            type: row.event_type,
            timestamp: Math.floor(Date.parse(row.event_time) / 1000),
            headers,
          },
          (err: unknown) => {
            resolve(err ? `nacked: ${err instanceof Error ? err.message : 'by the broker'}` : null);
          },
        );
      } catch (err) {
        resolve(`publish failed: ${(err as Error).message}`);
      }
    });
  }

  private async purgeSent(): Promise<void> {
    if (Date.now() - this.lastPurge < 10 * 60_000) return;
    this.lastPurge = Date.now();
    await this.options.pool.query(
      `DELETE FROM ${this.table} WHERE id IN (
         SELECT id FROM ${this.table} WHERE sent_at < now() - interval '1 day' LIMIT 5000)`,
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    if (this.listenTimer) clearTimeout(this.listenTimer);
    this.listenTimer = null;
    this.unregister?.();
    await this.draining?.catch(() => undefined);
    if (this.listener) await this.listener.end().catch(() => undefined);
    this.listener = null;
    const channel = this.channel;
    this.channel = null;
    if (channel) await channel.close().catch(() => undefined);
  }
}
