#!/usr/bin/env node
import { BOOKINGX_EXCHANGE } from '@crm/contracts';
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './args.js';
import { IngestError } from './ingest.js';
import { createProgress } from './progress.js';
import { PublishError } from './publish.js';
import { formatSummary } from './report.js';
import { describeDestination as describe, run, type Destination } from './run.js';
import { StateError } from './state.js';

function destinationOf(o: CliOptions): Destination {
  if (o.dryRun) return { via: 'none' };
  switch (o.via) {
    case 'bus':
      return { via: 'bus', amqpUrl: o.amqpUrl, window: o.window };
    case 'http':
      return {
        via: 'http',
        url: o.ingestUrl ?? '',
        secret: o.ingestSecret ?? '',
        batchSize: o.batchSize,
      };
    case 'files':
      return { via: 'files', dir: o.outDir ?? '', gzip: o.gzip };
  }
}

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
  // The first Ctrl-C lets the events in flight be confirmed and recorded; a second one quits.
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write(
      '\nsimulate: stopping after the events in flight (Ctrl-C again to quit now)\n',
    );
    interrupt.abort();
  });

  const destination = destinationOf(options);
  let result;
  try {
    result = await run({
      seed: options.seed,
      tenants: options.tenants,
      customers: options.customersPerTenant,
      months: options.months,
      now: options.now,
      business: options.business,
      destination,
      stateFile: options.stateFile,
      truthFile: options.truthFile,
      stopAfter: options.stopAfter,
      signal: interrupt.signal,
      note,
      onOpen: (world) => {
        for (const t of world.tenants) {
          note(
            `tenant ${t.id} (${t.business}, ${t.currency}, ${t.timezone}): ` +
              `${t.customerCount} customers, ${t.staff.length} staff at ${t.locations.length} ` +
              `location${t.locations.length === 1 ? '' : 's'}, ${t.services.length} services`,
          );
        }
        note(
          `seed ${world.seed}, ${world.start} .. ${world.now} (--now ${world.now} repeats this run)`,
        );
        if (destination.via !== 'none') note(`delivering to ${describe(destination)}`);
        if (world.skipped > 0) {
          note(`resuming: ${world.skipped} events were delivered by an earlier run`);
        }
      },
      progress: (total, start) =>
        createProgress(total, process.stderr, {
          quiet: options.quiet,
          label: destination.via === 'none' ? 'generating' : 'delivering',
          start,
        }),
    });
  } catch (err) {
    if (err instanceof StateError) {
      process.stderr.write(`simulate: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  if (result.status === 'already-done') {
    note(`nothing to do: ${options.stateFile ?? ''} records this run as finished`);
  }
  const what = {
    none: 'Generated (dry run, nothing published)',
    bus: `Published to ${BOOKINGX_EXCHANGE}`,
    http: `Posted to ${result.destination}`,
    files: `Written to ${result.destination}`,
  }[destination.via];
  process.stdout.write(
    formatSummary(result.counts, { what, elapsedMs: result.elapsedMs, thisRun: result.delivered }),
  );
  if (result.ingest) {
    note(`ingest: ${result.ingest.accepted} accepted, ${result.ingest.duplicates} duplicates`);
  }
  if (result.manifest) note(`manifest: ${result.manifest}`);
  if (result.truthFile) note(`truth: ${result.truthFile}`);
  if (result.status === 'stopped') {
    note(`stopped after ${result.delivered} events as asked; the same command continues`);
  }
  if (result.status === 'interrupted') {
    note(`interrupted after ${result.delivered} events; the same command continues`);
    return 130;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const known = err instanceof PublishError || err instanceof IngestError;
    process.stderr.write(
      `simulate: ${err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
