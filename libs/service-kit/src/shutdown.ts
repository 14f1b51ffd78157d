import type { Server } from 'node:http';
import type { Logger } from './logger.js';

export type Closer = () => Promise<void>;

/**
 * SIGTERM/SIGINT: stop taking work in the given order (HTTP first, then consumers, then
 * pools), bounded by a timeout so a stuck closer cannot hold the pod past its grace period.
 */
export function onShutdown(
  logger: Logger,
  timeoutMs: number,
  closers: Closer[],
): () => Promise<void> {
  let shuttingDown: Promise<void> | null = null;
  const run = (): Promise<void> => {
    shuttingDown ??= (async () => {
      logger.info('shutting down');
      const timer = setTimeout(() => {
        logger.error('shutdown timed out; exiting');
        process.exit(1);
      }, timeoutMs);
      timer.unref();
      for (const close of closers) {
        try {
          await close();
        } catch (err) {
          logger.warn({ err }, 'error while shutting down');
        }
      }
      clearTimeout(timer);
      logger.info('shut down cleanly');
    })();
    return shuttingDown;
  };
  const handler = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'signal received');
    void run().then(() => process.exit(0));
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
  return run;
}

/**
 * Stops accepting connections and lets requests in progress finish. server.close() only
 * closes connections idle at that moment; a keep-alive connection whose response ends
 * later would hold the process until its keep-alive timeout, so idle ones are swept
 * until the server has closed.
 */
export function closeServer(server: Server): Closer {
  return () =>
    new Promise((resolve) => {
      const sweep = setInterval(() => {
        server.closeIdleConnections();
      }, 50);
      server.close(() => {
        clearInterval(sweep);
        resolve();
      });
      server.closeIdleConnections();
    });
}
