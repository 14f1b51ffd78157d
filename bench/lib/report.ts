import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { LatencySummary } from './stats.js';

/** One measured configuration: a target under one load. */
export interface Row {
  /** What was measured, e.g. `gateway → profiles` or `pgbench`. */
  label: string;
  /** Rows of one group are compared with each other, e.g. `c=16`. */
  group: string;
  /** Operations completed (requests, transactions, events). */
  count: number;
  seconds: number;
  throughput: number;
  unit: string;
  latency: LatencySummary | null;
  errors: number;
  /** CPU milliseconds our own processes spent per operation (see `attachCpu`). */
  cpuMsPerOp?: number;
  detail?: Record<string, number | string | boolean>;
}

/** Adds the CPU each process spent over the row's run, in total and per operation. */
export function attachCpu(row: Row, spentSeconds: Record<string, number>): Row {
  let total = 0;
  const detail: Record<string, number> = {};
  for (const [name, s] of Object.entries(spentSeconds)) {
    total += s;
    detail[`cpu_s_${name}`] = Math.round(s * 100) / 100;
  }
  return {
    ...row,
    cpuMsPerOp: row.count > 0 ? (total * 1000) / row.count : 0,
    detail: { ...row.detail, ...detail },
  };
}

export interface Table {
  title: string;
  /** Labels of the rows the others are divided by, within their group. */
  baselines: string[];
  rows: Row[];
}

export interface BenchOutcome {
  params: Record<string, unknown>;
  tables: Table[];
  notes: string[];
}

export interface Ratio {
  throughput: number | null;
  p50: number | null;
  p99: number | null;
}

function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a / b)) return null;
  return a / b;
}

export function ratiosOf(table: Table, row: Row): Record<string, Ratio> {
  const out: Record<string, Ratio> = {};
  for (const base of table.baselines) {
    const b = table.rows.find((r) => r.group === row.group && r.label === base);
    if (!b || b === row) continue;
    out[base] = {
      throughput: ratio(row.throughput, b.throughput),
      p50: ratio(row.latency?.p50, b.latency?.p50),
      p99: ratio(row.latency?.p99, b.latency?.p99),
    };
  }
  return out;
}

function ms(v: number | undefined): string {
  if (v === undefined) return '-';
  return v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0);
}

function rate(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
}

export function formatTable(table: Table): string {
  const header = ['group', 'target', 'throughput', 'p50 ms', 'p90 ms', 'p99 ms', 'errors'];
  const withCpu = table.rows.some((r) => r.cpuMsPerOp !== undefined);
  if (withCpu) header.push('CPU ms/op');
  for (const b of table.baselines) header.push(`× ${b}`);
  const lines: string[][] = [header];
  for (const row of table.rows) {
    const ratios = ratiosOf(table, row);
    const cells = [
      row.group,
      row.label,
      `${rate(row.throughput)} ${row.unit}`,
      ms(row.latency?.p50),
      ms(row.latency?.p90),
      ms(row.latency?.p99),
      String(row.errors),
    ];
    if (withCpu) cells.push(row.cpuMsPerOp === undefined ? '' : row.cpuMsPerOp.toFixed(3));
    for (const b of table.baselines) {
      const r = ratios[b]?.throughput;
      cells.push(r === undefined ? '' : r === null ? '-' : r.toFixed(2));
    }
    lines.push(cells);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const numeric = (i: number) => i >= 2;
  const render = (l: string[]) =>
    l
      .map((c, i) => (numeric(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [table.title, render(header), rule, ...lines.slice(1).map(render)].join('\n');
}

function quiet(cmd: string, args: string[]): string | null {
  try {
    return (
      execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .trim()
        .split('\n')
        .pop()
        ?.trim() ?? null
    );
  } catch {
    return null;
  }
}

export interface MachineFacts {
  hostname: string;
  platform: string;
  kernel: string;
  arch: string;
  cpus: number;
  cpu_model: string;
  memory_gb: number;
  loadavg_at_start: number[];
  node: string;
  postgres: string | null;
  postgres_max_connections: number | null;
  rabbitmq: string | null;
  pgbench: string | null;
  git_commit: string | null;
  git_dirty: boolean | null;
}

export async function machineFacts(root: string, adminUrl: string): Promise<MachineFacts> {
  const cpus = os.cpus();
  let postgres: string | null = null;
  let maxConnections: number | null = null;
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string; m: string }>(
      "SELECT current_setting('server_version') AS v, current_setting('max_connections') AS m",
    );
    postgres = rows[0]?.v ?? null;
    maxConnections = rows[0]?.m === undefined ? null : Number(rows[0].m);
  } catch {
    // reported as null: the benchmark itself will say why Postgres is unreachable
  } finally {
    await client.end().catch(() => undefined);
  }
  const status = quiet('git', ['-C', root, 'status', '--porcelain']);
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    kernel: os.release(),
    arch: os.arch(),
    cpus: cpus.length,
    cpu_model: cpus[0]?.model ?? 'unknown',
    memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadavg_at_start: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    postgres,
    postgres_max_connections: maxConnections,
    rabbitmq: quiet('rabbitmqctl', ['version']),
    pgbench: quiet('pgbench', ['--version']),
    git_commit: quiet('git', ['-C', root, 'rev-parse', 'HEAD']),
    git_dirty: status === null ? null : status.length > 0,
  };
}

/** ISO 8601 basic format: sorts by time and is a valid file name everywhere. */
export function fileStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export interface ResultFile {
  benchmark: string;
  quick: boolean;
  runtime: string;
  started_at: string;
  finished_at: string;
  machine: MachineFacts;
  loadavg_at_end: number[];
  params: Record<string, unknown>;
  tables: (Table & { rows: (Row & { ratios: Record<string, Ratio> })[] })[];
  notes: string[];
  /** Resident memory per service process, MiB: idle after start and at the end. */
  memory?: Record<string, { idle_mib: number | null; at_end_mib: number | null }>;
}

export function writeResult(dir: string, result: ResultFile): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.benchmark}-${fileStamp(new Date(result.started_at))}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function withRatios(tables: Table[]): ResultFile['tables'] {
  return tables.map((t) => ({
    ...t,
    rows: t.rows.map((r) => ({ ...r, ratios: ratiosOf(t, r) })),
  }));
}
