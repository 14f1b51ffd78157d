import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { errorMessage, sleep } from './context.js';
import type { Row } from './report.js';
import { Samples } from './stats.js';

const run = promisify(execFile);

export interface PgbenchScript {
  name: string;
  sql: string;
  weight?: number;
}

export interface PgbenchLoad {
  label: string;
  group: string;
  databaseUrl: string;
  clients: number;
  seconds: number;
  scripts: PgbenchScript[];
  /** `-D name=value`: bound as parameters in prepared mode, like the services' own values. */
  variables?: Record<string, string>;
  workDir: string;
  /** What one script run stands for, e.g. `req/s` when it replays one request's queries. */
  unit?: string;
}

const TOO_MANY_CLIENTS = /too many clients|remaining connection slots/;

/** A Postgres shared with other work may be out of connection slots for a moment. */
async function pgbenchWithRetry(args: string[]): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { stdout } = await run('pgbench', args, { maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (err) {
      const stderr = err instanceof Error && 'stderr' in err ? String(err.stderr) : '';
      if (attempt >= 3 || !TOO_MANY_CLIENTS.test(stderr)) {
        throw new Error(`pgbench failed: ${stderr.trim() || errorMessage(err)}`, { cause: err });
      }
      await sleep(10_000);
    }
  }
}

/** Runs pgbench; a failure becomes a note instead of ending the whole benchmark. */
export async function tryPgbench(load: PgbenchLoad, notes: string[]): Promise<Row[]> {
  try {
    return [await runPgbench(load)];
  } catch (err) {
    notes.push(`${load.label} (${load.group}) not measured: ${errorMessage(err)}`);
    return [];
  }
}

/**
 * `pgbench -M prepared` with custom scripts. Throughput is pgbench's own tps (without
 * connection time); latencies come from its per-transaction log (`-l`, microseconds).
 */
export async function runPgbench(load: PgbenchLoad): Promise<Row> {
  const dir = join(load.workDir, `pgbench-${`${load.label}-${load.group}`.replace(/\W+/g, '-')}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const args = [
    '-n',
    '-M',
    'prepared',
    '-c',
    String(load.clients),
    '-j',
    String(Math.min(load.clients, 2)),
    '-T',
    String(load.seconds),
    '-l',
    `--log-prefix=${join(dir, 'tx')}`,
  ];
  for (const [k, v] of Object.entries(load.variables ?? {})) args.push('-D', `${k}=${v}`);
  for (const script of load.scripts) {
    const file = join(dir, `${script.name}.sql`);
    writeFileSync(file, `${script.sql.trim()}\n`);
    args.push('-f', `${file}@${String(script.weight ?? 1)}`);
  }
  args.push(load.databaseUrl);
  const stdout = await pgbenchWithRetry(args);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
  if (!tps?.[1]) throw new Error(`pgbench printed no tps:\n${stdout}`);

  const samples = new Samples();
  for (const file of readdirSync(dir)) {
    if (!file.startsWith('tx.')) continue;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const micros = line.split(' ')[2];
      if (micros) samples.add(Number(micros) / 1000);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const count = Number(processed?.[1] ?? samples.count);
  const throughput = Number(tps[1]);
  return {
    label: load.label,
    group: load.group,
    count,
    seconds: count / throughput,
    throughput,
    unit: load.unit ?? 'tx/s',
    latency: samples.summary(),
    errors: Number(failed?.[1] ?? 0),
  };
}
