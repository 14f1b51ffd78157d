import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A live bar on a terminal; elsewhere (CI logs, pipes) one line every few seconds, since
 * a bar redrawn into a log file is unreadable.
 */
export function createProgress(
  total: number,
  stream: NodeJS.WriteStream,
  options: { quiet: boolean; label: string },
): Progress {
  if (options.quiet || total === 0) return SILENT;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${options.label} |{bar}| {percentage}% | {value}/{total} events | eta {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      update: (done) => {
        bar.update(done);
      },
      stop: () => {
        bar.stop();
      },
    };
  }
  const everyMs = 2000;
  let last = performance.now();
  let lastDone = 0;
  return {
    update: (done) => {
      lastDone = done;
      const t = performance.now();
      if (t - last < everyMs) return;
      last = t;
      stream.write(
        `${options.label}: ${done}/${total} events (${Math.floor((100 * done) / total)}%)\n`,
      );
    },
    stop: () => {
      stream.write(
        `${options.label}: ${lastDone}/${total} events (${Math.floor((100 * lastDone) / total)}%)\n`,
      );
    },
  };
}
