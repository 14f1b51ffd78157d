import type { Readable } from 'node:stream';
import CircuitBreaker from 'opossum';
import { Agent, request, type Dispatcher } from 'undici';
import { AppError } from './errors.js';
import type { Metrics } from './metrics.js';

export interface UpstreamOptions {
  name: string;
  baseUrl: string;
  timeoutMs?: number;
  /** Percentage of failures in the rolling window that opens the breaker. */
  errorThresholdPercentage?: number;
  resetTimeoutMs?: number;
  volumeThreshold?: number;
  connections?: number;
  metrics?: Metrics | undefined;
}

export interface UpstreamRequest {
  method: Dispatcher.HttpMethod;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string | undefined;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** An answer whose body is still arriving: a Readable that can also be read whole. */
export interface UpstreamStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { arrayBuffer: () => Promise<ArrayBuffer> };
}

const STATE = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * An upstream reached over keep-alive connections, with a timeout per call and an opossum
 * breaker: when it is down callers fail fast with 503, and it is retried after a pause.
 * 5xx answers count as failures for the breaker but are passed back as they are.
 */
/** An answer's body as JSON, or undefined when it is not JSON (for a schema to refuse). */
export function jsonOf(res: UpstreamResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export class Upstream {
  private readonly agent: Agent;
  private readonly breaker: CircuitBreaker<[UpstreamRequest], UpstreamStream>;

  constructor(readonly options: UpstreamOptions) {
    const timeout = options.timeoutMs ?? 5_000;
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: options.connections ?? 64,
      connect: { timeout: Math.min(timeout, 2_000) },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    this.breaker = new CircuitBreaker((req: UpstreamRequest) => this.send(req), {
      name: options.name,
      timeout,
      errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
      resetTimeout: options.resetTimeoutMs ?? 5_000,
      volumeThreshold: options.volumeThreshold ?? 5,
      rollingCountTimeout: 10_000,
      errorFilter: (err: unknown) => err instanceof UpstreamHttpError && err.response.status < 500,
    });
    const gauge = options.metrics?.breakerState;
    gauge?.set({ upstream: options.name }, STATE.closed);
    this.breaker.on('open', () => gauge?.set({ upstream: options.name }, STATE.open));
    this.breaker.on('halfOpen', () => gauge?.set({ upstream: options.name }, STATE.halfOpen));
    this.breaker.on('close', () => gauge?.set({ upstream: options.name }, STATE.closed));
  }

  get state(): 'closed' | 'open' | 'half_open' {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half_open';
    return 'closed';
  }

  private async send(req: UpstreamRequest): Promise<UpstreamStream> {
    const res = await request(new URL(req.path, this.options.baseUrl), {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: this.agent,
    });
    const response = { status: res.statusCode, headers: res.headers, body: res.body };
    // Thrown so the breaker counts it; unwrapped in open().
    if (res.statusCode >= 500) throw new UpstreamHttpError(response);
    return response;
  }

  /** Never throws for an HTTP answer; throws AppError 503/504 when the upstream is unreachable. */
  async call(req: UpstreamRequest): Promise<UpstreamResponse> {
    const answer = await this.open(req);
    return { ...answer, body: Buffer.from(await answer.body.arrayBuffer()) };
  }

  /**
   * Like `call`, but answers as soon as the status and headers arrived, with the body still
   * streaming: a proxy pipes it on without holding it. The body must be read or dumped.
   */
  async open(req: UpstreamRequest): Promise<UpstreamStream> {
    try {
      return await this.breaker.fire(req);
    } catch (err) {
      if (err instanceof UpstreamHttpError) return err.response;
      if (this.breaker.opened || (err as { code?: string }).code === 'EOPENBREAKER') {
        throw new AppError(
          'upstream_unavailable',
          `${this.options.name} is unavailable`,
          undefined,
          {
            'Retry-After': String(Math.ceil((this.options.resetTimeoutMs ?? 5_000) / 1000)),
          },
        );
      }
      if ((err as { code?: string }).code === 'ETIMEDOUT' || /timed out/i.test(String(err))) {
        throw new AppError('upstream_timeout', `${this.options.name} did not answer in time`);
      }
      throw new AppError('upstream_unavailable', `${this.options.name} is unavailable`);
    }
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.agent.close();
  }
}

class UpstreamHttpError extends Error {
  constructor(readonly response: UpstreamStream) {
    super(`upstream answered ${response.status}`);
  }
}
