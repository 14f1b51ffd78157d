import type { BenchOutcome } from './report.js';

/** Undo steps run last-in first-out, each once, whatever failed before them. */
export class Cleanup {
  private readonly steps: { label: string; run: () => Promise<void> }[] = [];

  defer(label: string, run: () => Promise<void>): void {
    this.steps.push({ label, run });
  }

  async run(log: (m: string) => void): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (err) {
        log(`cleanup "${step.label}" failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

export interface BenchContext {
  root: string;
  quick: boolean;
  /** `source` runs services through tsx; `dist` runs their build output with plain node. */
  runtime: 'source' | 'dist';
  /** Services write V8 CPU profiles (`--cpu-prof`) into workDir/profiles, kept after the run. */
  cpuProfile: boolean;
  /** `--customers`: the data size of benchmarks that take one, instead of their default. */
  customers?: number | undefined;
  adminUrl: string;
  amqpBaseUrl: string;
  jwtSecret: string;
  /** Scratch folder of this benchmark: service logs, pgbench scripts and logs. */
  workDir: string;
  cleanup: Cleanup;
  log: (message: string) => void;
  /**
   * Resident memory of each service process in MiB: idle once it is ready, and when the
   * benchmark is over (just before it is stopped). Filled in by `startServices`.
   */
  memory: Record<string, { idle_mib: number | null; at_end_mib: number | null }>;
}

export interface Benchmark {
  name: string;
  summary: string;
  run: (ctx: BenchContext) => Promise<BenchOutcome>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Polls `probe` until it returns true; fails at the deadline with what the last probe said,
 * so a stuck pipeline names the stage it is stuck in.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<{ done: boolean; status: string }>,
  options: {
    timeoutMs: number;
    intervalMs?: number;
    /**
     * The largest share of the wall time the probe may take: a probe that grows slow (a count
     * over a table that grows) is spaced out so that it does not take the CPU being measured.
     */
    maxBusyShare?: number;
    onStatus?: (status: string) => void;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastReport = 0;
  for (;;) {
    const began = Date.now();
    const { done, status } = await probe();
    if (done) return;
    const took = Date.now() - began;
    if (options.onStatus && Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      options.onStatus(status);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not done within ${options.timeoutMs / 1000} s (${status})`);
    }
    const share = options.maxBusyShare;
    const spaced = share === undefined ? 0 : (took * (1 - share)) / share;
    await sleep(Math.max(options.intervalMs ?? 100, spaced));
  }
}
