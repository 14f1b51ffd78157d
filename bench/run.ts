/**
 * Runs the named benchmarks, each against a scratch database and vhost of its own, prints
 * a table per benchmark and writes bench/results/<name>-<timestamp>.json.
 *
 *   pnpm bench -- gateway-get outbox timeline ingest simulator-ingest csv-import [--quick] [--dist]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { csvImportBench } from './benchmarks/csv-import.js';
import { gatewayGet } from './benchmarks/gateway-get.js';
import { ingestBench } from './benchmarks/ingest.js';
import { outboxBench } from './benchmarks/outbox.js';
import { searchBench } from './benchmarks/search.js';
import { simulatorIngestBench } from './benchmarks/simulator-ingest.js';
import { timelineBench } from './benchmarks/timeline.js';
import { Cleanup, errorMessage, type BenchContext, type Benchmark } from './lib/context.js';
import { formatTable, machineFacts, withRatios, writeResult } from './lib/report.js';

const BENCHMARKS: Benchmark[] = [
  gatewayGet,
  outboxBench,
  timelineBench,
  searchBench,
  ingestBench,
  simulatorIngestBench,
  csvImportBench,
];

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(root, 'bench', 'results');

function help(): string {
  const width = Math.max(...BENCHMARKS.map((b) => b.name.length));
  return [
    'Usage: pnpm bench -- <name>... | all [--quick] [--dist] [--cpu-prof] [--customers <n>]',
    '',
    'Benchmarks:',
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(width)}  ${b.summary}`),
    '',
    'Options:',
    '  --quick     a small, fast variant of each benchmark',
    '  --dist      run the services from their build (pnpm build) instead of from source via tsx',
    '  --cpu-prof  services write V8 CPU profiles (open in Chrome DevTools); the folder is kept',
    '  --customers <n>  customers to load (gateway-get, search), instead of the default size',
    '  --help      this text',
    '',
    'Environment: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),',
    'BENCH_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672); rabbitmqctl must be on PATH.',
    `Results: ${resultsDir}/<name>-<timestamp>.json`,
  ].join('\n');
}

const say = (m: string) => process.stdout.write(`${m}\n`);

async function main(): Promise<number> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      dist: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      customers: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    say(help());
    return 0;
  }
  if (positionals.length === 0) {
    process.stderr.write(`${help()}\n`);
    return 2;
  }
  const customers = values.customers === undefined ? undefined : Number(values.customers);
  if (customers !== undefined && (!Number.isSafeInteger(customers) || customers < 100)) {
    process.stderr.write(`--customers must be a whole number of at least 100\n`);
    return 2;
  }
  const selected = positionals.includes('all')
    ? BENCHMARKS
    : positionals.map((name) => BENCHMARKS.find((b) => b.name === name) ?? name);
  const unknown = selected.filter((b): b is string => typeof b === 'string');
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark: ${unknown.join(', ')}\n\n${help()}\n`);
    return 2;
  }

  const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const amqpBaseUrl = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  let current: BenchContext | null = null;
  const interrupt = (signal: NodeJS.Signals) => {
    say(`\n${signal}: cleaning up`);
    const ctx = current;
    void (ctx ? ctx.cleanup.run(ctx.log) : Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  let failures = 0;
  for (const bench of selected) {
    if (typeof bench === 'string') continue;
    const workDir = mkdtempSync(join(os.tmpdir(), `crm-bench-${bench.name}-`));
    const ctx: BenchContext = {
      root,
      quick: values.quick,
      runtime: values.dist ? 'dist' : 'source',
      cpuProfile: values['cpu-prof'],
      customers,
      adminUrl,
      amqpBaseUrl,
      jwtSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
      workDir,
      cleanup: new Cleanup(),
      memory: {},
      log: (m) => {
        say(`[${bench.name}] ${m}`);
      },
    };
    current = ctx;
    say(`\n== ${bench.name}${ctx.quick ? ' (quick)' : ''}: ${bench.summary}`);
    const startedAt = new Date();
    const machine = await machineFacts(root, adminUrl);
    if (machine.loadavg_at_start[0] !== undefined && machine.loadavg_at_start[0] > 0.5) {
      ctx.log(
        `load average ${machine.loadavg_at_start.join(' ')} on ${machine.cpus} CPUs: figures will be noisy`,
      );
    }
    try {
      const outcome = await bench.run(ctx);
      await ctx.cleanup.run(ctx.log);
      const finishedAt = new Date();
      say('');
      for (const table of outcome.tables) say(`${formatTable(table)}\n`);
      for (const note of outcome.notes) say(`  note: ${note}`);
      const memory = Object.entries(ctx.memory);
      if (memory.length > 0) {
        const mib = (v: number | null) => (v === null ? '?' : `${v.toFixed(0)} MiB`);
        say(
          `  memory (RSS, idle after start → at the end): ${memory
            .map(([name, m]) => `${name} ${mib(m.idle_mib)} → ${mib(m.at_end_mib)}`)
            .join(', ')}`,
        );
      }
      const file = writeResult(resultsDir, {
        benchmark: bench.name,
        quick: ctx.quick,
        runtime: ctx.runtime,
        started_at: startedAt.toISOString(),
        finished_at: finishedAt.toISOString(),
        machine,
        loadavg_at_end: os.loadavg().map((l) => Math.round(l * 100) / 100),
        params: outcome.params,
        tables: withRatios(outcome.tables),
        notes: outcome.notes,
        memory: ctx.memory,
      });
      say(`  written: ${file}`);
      if (ctx.cpuProfile) say(`  CPU profiles: ${join(workDir, 'profiles')}`);
      else rmSync(workDir, { recursive: true, force: true });
    } catch (err) {
      failures += 1;
      ctx.log(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : errorMessage(err)}`);
      await ctx.cleanup.run(ctx.log);
      ctx.log(`service logs kept in ${workDir}/logs`);
    }
    current = null;
  }
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${errorMessage(err)}\n`);
    process.exit(1);
  },
);
