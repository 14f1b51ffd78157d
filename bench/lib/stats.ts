/** Latency samples in milliseconds, kept whole so percentiles are exact, not bucketed. */
export class Samples {
  private values = new Float64Array(1024);
  private size = 0;

  add(ms: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size] = ms;
    this.size += 1;
  }

  get count(): number {
    return this.size;
  }

  summary(): LatencySummary | null {
    return summarise(this.values.subarray(0, this.size));
  }
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles over a copy of the samples. */
export function summarise(values: ArrayLike<number>): LatencySummary | null {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return null;
  const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] ?? NaN;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: n, mean: sum / n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

/** Wall-clock milliseconds since the epoch with sub-millisecond precision. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
