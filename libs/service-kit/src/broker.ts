import { Writable } from 'node:stream';
import { connect, type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import { BOOKINGX_EXCHANGE, CRM_EXCHANGE } from '@crm/contracts';
import type { Logger } from './logger.js';

export const DEAD_LETTER_EXCHANGE = 'crm.dlx';
export const UNROUTED_EXCHANGE = 'crm.unrouted';
export const UNROUTED_QUEUE = 'crm.unrouted';

type Setup = (model: ChannelModel) => Promise<void>;

/**
 * One recovering AMQP connection per process. Publishers and consumers register a setup
 * that (re)creates their channels and topology each time the connection comes back.
 */
export class Broker {
  private model: ChannelModel | null = null;
  private readonly setups = new Set<Setup>();
  private closed = false;

  private constructor(
    private readonly connection: RecoveringChannelModel,
    private readonly logger: Logger,
  ) {}

  static async connect(url: string, name: string, logger: Logger): Promise<Broker> {
    // The first connection is attempted on a later turn, once `connect` resolved and this is set.
    const created: { broker: Broker | null } = { broker: null };
    const connection = await connect(url, {
      clientProperties: { connection_name: name },
      recovery: {
        initialDelay: 200,
        maxDelay: 5_000,
        waitForConnect: false,
        setup: async (model: ChannelModel) => {
          await created.broker?.onConnected(model);
        },
      },
    });
    const broker = new Broker(connection, logger);
    created.broker = broker;
    connection.on('disconnect', (err: Error) => {
      broker.model = null;
      logger.warn({ err: err.message }, 'broker connection lost; reconnecting');
    });
    connection.on('reconnect-scheduled', (info: { attempt: number; delay: number }) => {
      logger.debug(info, 'broker reconnect scheduled');
    });
    connection.on('error', (err: Error) => {
      logger.warn({ err: err.message }, 'broker connection error');
    });
    return broker;
  }

  get connected(): boolean {
    return this.model !== null && !this.closed;
  }

  /** Resolves once the first connection and every setup have run. */
  async ready(timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    while (!this.connected) {
      if (Date.now() - started > timeoutMs) throw new Error('broker not reachable');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async register(setup: Setup): Promise<() => void> {
    this.setups.add(setup);
    if (this.model) await setup(this.model);
    return () => this.setups.delete(setup);
  }

  private async onConnected(model: ChannelModel): Promise<void> {
    coalesceWrites(model);
    await declareCoreTopology(model);
    for (const setup of this.setups) await setup(model);
    this.model = model;
    this.logger.info('broker connected');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.model = null;
    await this.connection.close().catch(() => undefined);
  }
}

/**
 * amqplib hands the socket every frame on its own (a publish is three frames, an ack one),
 * and each write of an uncorked socket is a system call. Corking the socket from the first
 * write of a tick until the next tick sends every frame written meanwhile (a relay's batch of
 * publishes, a consumer's acks) in one writev; nothing waits longer than the current tick.
 */
export function coalesceWrites(model: ChannelModel): void {
  const stream = (model.connection as unknown as { stream?: unknown }).stream;
  if (!(stream instanceof Writable) || coalesced.has(stream)) return;
  coalesced.add(stream);
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  }) as typeof stream.write;
}
const coalesced = new WeakSet<Writable>();

/** Exchanges every service relies on; declaring them is idempotent. */
export async function declareCoreTopology(model: ChannelModel): Promise<void> {
  const ch = await model.createChannel();
  try {
    await ch.assertExchange(UNROUTED_EXCHANGE, 'fanout', { durable: true });
    // Events no service subscribes to yet are kept (bounded) for operators, not returned.
    await ch.assertQueue(UNROUTED_QUEUE, {
      durable: true,
      arguments: { 'x-max-length': 100_000, 'x-overflow': 'drop-head' },
    });
    await ch.bindQueue(UNROUTED_QUEUE, UNROUTED_EXCHANGE, '');
    await ch.assertExchange(CRM_EXCHANGE, 'topic', {
      durable: true,
      alternateExchange: UNROUTED_EXCHANGE,
    });
    await ch.assertExchange(BOOKINGX_EXCHANGE, 'topic', { durable: true });
    await ch.assertExchange(DEAD_LETTER_EXCHANGE, 'direct', { durable: true });
  } finally {
    await ch.close().catch(() => undefined);
  }
}
