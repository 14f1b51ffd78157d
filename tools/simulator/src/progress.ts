import cliProgress from 'cli-progress';

export interface Progress {
  /** Events done so far, including any skipped at the start of a resumed run. */
  update(done: number): void;
  /** The estimate of the total was off: the stream is longer. */
  setTotal(total: number): void;
  stop(): void;
}

const SILENT: Progress = {
  update: () => undefined,
  setTotal: () => undefined,
  stop: () => undefined,
};

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Rate over a sliding window of recent samples, so the ETA follows the current speed
 * (which drops as more customers are in play) rather than the run's average.
 */
class RateMeter {
  private readonly samples: { t: number; n: number }[] = [];

  constructor(private readonly windowMs: number) {}

  add(n: number, t = performance.now()): void {
    this.samples.push({ t, n });
    while (this.samples.length > 2 && t - (this.samples[1]?.t ?? t) > this.windowMs) {
      this.samples.shift();
    }
  }

  perSecond(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t <= first.t) return 0;
    return ((last.n - first.n) * 1000) / (last.t - first.t);
  }
}

/**
 * A live bar on a terminal; elsewhere (CI logs, pipes) one line every few seconds, since
 * a bar redrawn into a log file is unreadable. Both show events/s and the ETA against an
 * estimated total (the stream's length is only known at its end).
 */
export function createProgress(
  total: number,
  stream: NodeJS.WriteStream,
  options: { quiet: boolean; label: string; start?: number },
): Progress {
  if (options.quiet || total === 0) return SILENT;
  let estimate = total;
  const meter = new RateMeter(10_000);
  let done = options.start ?? 0;
  meter.add(done);
  const stats = () => {
    const rate = meter.perSecond();
    return {
      rate: Math.round(rate),
      eta: rate > 0 ? formatDuration((estimate - done) / rate) : '?',
      pct: Math.min(100, Math.floor((100 * done) / estimate)),
    };
  };

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${options.label} |{bar}| {percentage}% | {value}/~{total} events | {rate} events/s | eta {etaText}`,
        hideCursor: true,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(estimate, done, { rate: 0, etaText: '?' });
    return {
      update: (n) => {
        done = n;
        meter.add(n);
        if (n > estimate) {
          estimate = n;
          bar.setTotal(n);
        }
        const s = stats();
        bar.update(n, { rate: s.rate, etaText: s.eta });
      },
      setTotal: (n) => {
        estimate = n;
        bar.setTotal(n);
      },
      stop: () => {
        bar.stop();
      },
    };
  }

  const everyMs = 2000;
  let last = performance.now();
  const line = () => {
    const s = stats();
    return `${options.label}: ${done}/~${estimate} events (${s.pct}%), ${s.rate} events/s, eta ${s.eta}\n`;
  };
  return {
    update: (n) => {
      done = n;
      if (n > estimate) estimate = n;
      const t = performance.now();
      meter.add(n, t);
      if (t - last < everyMs) return;
      last = t;
      stream.write(line());
    },
    setTotal: (n) => {
      estimate = n;
    },
    stop: () => {
      stream.write(line());
    },
  };
}
