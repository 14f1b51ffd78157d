import autocannon from 'autocannon';
import type { Row } from './report.js';
import { Samples } from './stats.js';

export interface HttpLoad {
  label: string;
  group: string;
  /** Origin, e.g. http://127.0.0.1:8080; paths come from `nextPath`. */
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Called once per request, so ids and cursors rotate. */
  nextPath: () => string;
}

/**
 * Closed-loop HTTP load with autocannon. Latencies are taken from every response as
 * measured by autocannon (sub-millisecond), not from its histogram, which keeps whole
 * milliseconds only; non-2xx responses count as errors and not as throughput.
 */
export async function runHttpLoad(load: HttpLoad): Promise<Row> {
  const samples = new Samples();
  let non2xx = 0;
  const statuses = new Map<number, number>();
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: load.url,
        connections: load.connections,
        duration: load.seconds,
        headers: load.headers ?? {},
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: load.nextPath() }),
          },
        ],
      },
      (err, res) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve(res);
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) samples.add(responseTime);
      else {
        non2xx += 1;
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      }
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const detail: Record<string, number> = {
    timeouts: result.timeouts,
    connection_errors: result.errors,
  };
  for (const [status, n] of statuses) detail[`status_${status}`] = n;
  return {
    label: load.label,
    group: load.group,
    count: samples.count,
    seconds,
    throughput: samples.count / seconds,
    unit: 'req/s',
    latency: samples.summary(),
    errors: non2xx + result.errors + result.timeouts,
    detail,
  };
}

/** A short unmeasured run first: JIT, connection pools and caches warm up. */
export async function warmUp(load: HttpLoad, seconds: number): Promise<void> {
  await runHttpLoad({ ...load, seconds });
}

/** Rotates through `items` in a shuffled order, so neighbouring requests hit different rows. */
export function rotating<T>(items: readonly T[], seed = 1): () => T {
  const order = [...items];
  let s = seed >>> 0 || 1;
  for (let i = order.length - 1; i > 0; i -= 1) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const a = order[i];
    const b = order[j];
    if (a !== undefined && b !== undefined) {
      order[i] = b;
      order[j] = a;
    }
  }
  let next = 0;
  return () => {
    const item = order[next % order.length];
    next += 1;
    if (item === undefined) throw new Error('nothing to rotate through');
    return item;
  };
}
