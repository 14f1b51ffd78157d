import type { SimulatedEvent } from './events.js';

/** Events that the destination has confirmed: broker confirms, HTTP 202, or synced to disk. */
export type OnConfirmed = (events: readonly SimulatedEvent[]) => void;

/**
 * Where a run's events go. `send` returns a promise only when the caller must wait (a
 * full confirm window, a batch on the wire), so the common path costs no microtask.
 */
export interface Sink {
  readonly description: string;
  send(event: SimulatedEvent): Promise<void> | undefined;
  /** Delivers everything sent so far; resolves once all of it is confirmed. */
  flush(): Promise<void>;
  /** Releases connections and files; safe after a failure. */
  close(): Promise<void>;
  /** Per tenant, a resume position beyond the event count (the files' byte sizes). */
  positions?(): Record<string, number>;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
