#!/usr/bin/env node
import { BOOKINGX_EXCHANGE } from '@crm/contracts';
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './args.js';
import { createProgress } from './progress.js';
import { publishEvents, redactUrl } from './publish.js';
import { formatSummary } from './report.js';
import { simulate } from './simulate.js';

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`simulate: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const note = (line: string) => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  const generatedAt = performance.now();
  const simulation = simulate({
    seed: options.seed,
    tenants: options.tenants,
    customers: options.customers,
    months: options.months,
    now: options.now,
  });
  const { events } = simulation;
  const generationMs = performance.now() - generatedAt;
  for (const t of simulation.tenants) {
    note(
      `tenant ${t.id} (${t.business}, ${t.currency}, ${t.timezone}): ` +
        `${t.customers.length} customers, ${t.staff.length} staff, ${t.services.length} services`,
    );
  }
  note(
    `seed ${simulation.seed}, ${simulation.start} .. ${simulation.now}: ` +
      `${events.length} events generated in ${(generationMs / 1000).toFixed(2)} s ` +
      `(--now ${simulation.now} repeats this run)`,
  );

  if (options.dryRun) {
    process.stdout.write(
      formatSummary(events, {
        what: 'Generated (dry run, nothing published)',
        elapsedMs: generationMs,
      }),
    );
    return 0;
  }

  note(`publishing to ${BOOKINGX_EXCHANGE} at ${redactUrl(options.amqpUrl)}`);
  const progress = createProgress(events.length, process.stderr, {
    quiet: options.quiet,
    label: 'publishing',
  });
  try {
    const result = await publishEvents(options.amqpUrl, events, {
      onProgress: (n) => {
        progress.update(n);
      },
    });
    progress.stop();
    process.stdout.write(
      formatSummary(events, {
        what: `Published to ${BOOKINGX_EXCHANGE}`,
        elapsedMs: result.elapsedMs,
      }),
    );
  } catch (err) {
    progress.stop();
    throw err;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`simulate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
