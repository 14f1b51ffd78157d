import { AppError, type Logger } from '@crm/service-kit';
import { LRUCache } from 'lru-cache';

interface Seen {
  /** The claims the answer was read for: other claims are read again. */
  fingerprint: string;
  active: boolean;
  readAt: number;
}

/**
 * What this replica last read of each staff member, so a request reads or writes the
 * directory at most once per interval and member; concurrent first requests share one read.
 */
export class SeenMembers {
  private readonly cache: LRUCache<string, Seen>;
  private readonly reading = new Map<string, Promise<boolean>>();

  constructor(
    private readonly intervalMs: number,
    private readonly clock: () => Date,
    private readonly logger: Logger,
    max = 50_000,
  ) {
    this.cache = new LRUCache({ max });
  }

  /**
   * Whether the member may pass: remembered when read within the interval for the same
   * claims, else `read` (and remembered). When the directory cannot be read, the last answer
   * for these claims stands; without one the caller gets 503.
   */
  async check(
    tenantId: string,
    memberId: string,
    fingerprint: string,
    read: () => Promise<boolean>,
  ): Promise<boolean> {
    const key = `${tenantId}:${memberId}`;
    const last = this.cache.get(key);
    const now = this.clock().getTime();
    if (last?.fingerprint === fingerprint && now - last.readAt < this.intervalMs) {
      return last.active;
    }
    const pending = this.reading.get(`${key}:${fingerprint}`);
    if (pending) return pending;
    const reading = read().then(
      (active) => {
        this.cache.set(key, { fingerprint, active, readAt: this.clock().getTime() });
        return active;
      },
      (err: unknown) => {
        this.logger.error({ err }, 'the staff directory could not be read');
        if (last?.fingerprint === fingerprint) return last.active;
        throw new AppError(
          'upstream_unavailable',
          'The staff directory cannot be read; retry',
          undefined,
          { 'Retry-After': '5' },
        );
      },
    );
    this.reading.set(`${key}:${fingerprint}`, reading);
    try {
      return await reading;
    } finally {
      this.reading.delete(`${key}:${fingerprint}`);
    }
  }

  /** After a change to the member here, their next request reads the directory again. */
  forget(tenantId: string, memberId: string): void {
    this.cache.delete(`${tenantId}:${memberId}`);
  }
}
