import {
  INGEST_MAX_BATCH,
  INGEST_SIGNATURE_HEADER,
  INGEST_TENANT_HEADER,
  INGEST_TIMESTAMP_HEADER,
  IngestResult,
  signIngest,
} from '@crm/contracts';
import type { SimulatedEvent } from './events.js';
import { errorMessage, type OnConfirmed, type Sink } from './sink.js';

export interface IngestOptions {
  url: string;
  secret: string;
  /** Events per request, at most 500 (`INGEST_MAX_BATCH`). */
  batchSize?: number;
  /** Retries of a batch after a 5xx, 408, 429 or network error, before giving up. */
  retries?: number;
  /** First back-off delay; doubles per attempt up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  timeoutMs?: number;
  /** Events held across all tenants' buffers before the fullest is sent early. */
  maxBuffered?: number;
  onConfirmed?: OnConfirmed;
  onRetry?: (info: { attempt: number; of: number; delayMs: number; reason: string }) => void;
  /** The clock for the signature timestamp. */
  now?: () => number;
}

export class IngestError extends Error {
  override readonly name = 'IngestError';
}

/** Whatever the endpoint says about a refusal, briefly: problem+json title and detail. */
async function describe(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let detail = text.replace(/\s+/g, ' ').trim().slice(0, 300);
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      const { title, detail: d } = body as { title?: unknown; detail?: unknown };
      const parts = [title, d].filter((x): x is string => typeof x === 'string' && x !== '');
      if (parts.length > 0) detail = parts.join(': ');
    }
  } catch {
    // Not JSON: the text itself is the best description.
  }
  return `${response.status} ${response.statusText}${detail ? ` — ${detail}` : ''}`;
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  const secondsValue = Number(value);
  if (Number.isFinite(secondsValue)) return Math.max(0, secondsValue * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts events to the signed HTTP ingest (`POST /crm/ingest/bookingx`) in batches of one
 * tenant each, one request at a time. A batch is confirmed by a 2xx; 5xx, 408, 429 and
 * network errors are retried with exponential back-off; any other 4xx stops the run,
 * except 413, which halves the batch size and tries again.
 */
export class IngestSink implements Sink {
  readonly description: string;
  accepted = 0;
  duplicates = 0;
  requests = 0;
  private batchSize: number;
  private readonly buffers = new Map<string, SimulatedEvent[]>();
  private buffered = 0;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly maxBuffered: number;
  private readonly now: () => number;

  constructor(private readonly options: IngestOptions) {
    const size = options.batchSize ?? INGEST_MAX_BATCH;
    if (!Number.isSafeInteger(size) || size < 1 || size > INGEST_MAX_BATCH) {
      throw new RangeError(`batch size must be 1 to ${INGEST_MAX_BATCH}, got ${size}`);
    }
    this.batchSize = size;
    this.retries = options.retries ?? 8;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBuffered = Math.max(size, options.maxBuffered ?? 10 * INGEST_MAX_BATCH);
    this.now = options.now ?? Date.now;
    this.description = new URL(options.url).toString();
  }

  send(event: SimulatedEvent): Promise<void> | undefined {
    let buffer = this.buffers.get(event.tenantid);
    if (!buffer) {
      buffer = [];
      this.buffers.set(event.tenantid, buffer);
    }
    buffer.push(event);
    this.buffered += 1;
    if (buffer.length >= this.batchSize) return this.post(event.tenantid);
    if (this.buffered >= this.maxBuffered) return this.post(this.fullest());
    return undefined;
  }

  async flush(): Promise<void> {
    for (const tenant of [...this.buffers.keys()]) await this.post(tenant);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private fullest(): string {
    let best = '';
    let size = -1;
    for (const [tenant, buffer] of this.buffers) {
      if (buffer.length > size) {
        best = tenant;
        size = buffer.length;
      }
    }
    return best;
  }

  private async post(tenant: string): Promise<void> {
    const buffer = this.buffers.get(tenant);
    if (!buffer || buffer.length === 0) return;
    this.buffers.delete(tenant);
    this.buffered -= buffer.length;
    for (let i = 0; i < buffer.length;) {
      const batch = buffer.slice(i, i + this.batchSize);
      if (await this.deliver(tenant, batch)) {
        i += batch.length;
        this.options.onConfirmed?.(batch);
      }
    }
  }

  /** True once the batch is confirmed; false when it must be re-cut smaller (413). */
  private async deliver(tenant: string, batch: readonly SimulatedEvent[]): Promise<boolean> {
    const body = JSON.stringify({ events: batch });
    const attempts = this.retries + 1;
    let lastReason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const timestamp = Math.floor(this.now() / 1000);
      let response: Response;
      try {
        this.requests += 1;
        response = await fetch(this.options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [INGEST_TENANT_HEADER]: tenant,
            [INGEST_TIMESTAMP_HEADER]: String(timestamp),
            [INGEST_SIGNATURE_HEADER]: signIngest(this.options.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        const cause: unknown = err instanceof Error && err.cause ? err.cause : err;
        lastReason = errorMessage(cause);
        await this.backOff(attempt, attempts, lastReason, undefined);
        continue;
      }
      if (response.ok) {
        const parsed = IngestResult.safeParse(await response.json().catch(() => undefined));
        if (parsed.success) {
          this.accepted += parsed.data.accepted;
          this.duplicates += parsed.data.duplicates;
        } else {
          this.accepted += batch.length;
        }
        return true;
      }
      if (response.status === 413 && batch.length > 1) {
        await response.body?.cancel();
        this.batchSize = Math.max(1, Math.floor(batch.length / 2));
        return false;
      }
      const retryable =
        response.status >= 500 || response.status === 408 || response.status === 429;
      lastReason = await describe(response);
      if (!retryable) {
        throw new IngestError(
          `the ingest endpoint refused a batch of ${batch.length} events for tenant ${tenant}: ${lastReason}`,
        );
      }
      await this.backOff(attempt, attempts, lastReason, retryAfterMs(response));
    }
    throw new IngestError(
      `the ingest endpoint did not take a batch for tenant ${tenant} after ${attempts} attempts: ${lastReason}`,
    );
  }

  private async backOff(
    attempt: number,
    attempts: number,
    reason: string,
    retryAfter: number | undefined,
  ): Promise<void> {
    if (attempt >= attempts) return;
    const exponential = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (attempt - 1));
    // Jitter keeps many simulators from retrying in step against one endpoint.
    const delayMs = Math.min(
      this.maxRetryDelayMs,
      retryAfter ?? exponential * (0.5 + Math.random() / 2),
    );
    this.options.onRetry?.({ attempt: attempt + 1, of: attempts, delayMs, reason });
    await sleep(delayMs);
  }
}
