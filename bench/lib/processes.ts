import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { SERVICES } from '../../scripts/services.js';
import { sleep, type BenchContext } from './context.js';
import type { Scratch } from './scratch.js';

export interface Running {
  name: string;
  url: string;
  child: ChildProcess;
  logFile: string;
}

/** A port nothing listens on right now; services of a developer's cluster keep theirs. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts a Node process of ours and stops it (SIGTERM, then SIGKILL) when the benchmark ends. */
export function startProcess(
  ctx: BenchContext,
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; logFile: string } {
  mkdirSync(join(ctx.workDir, 'logs'), { recursive: true });
  const logFile = join(ctx.workDir, 'logs', `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: ctx.root,
    env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  ctx.cleanup.defer(`stop ${name}`, () => stopProcess(child));
  return { child, logFile };
}

export async function stopProcess(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export async function waitReady(
  name: string,
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with code ${child.exitCode}:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

function entryOf(ctx: BenchContext, name: string): string[] {
  const profile = ctx.cpuProfile
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(ctx.workDir, 'profiles')}`,
        `--cpu-prof-name=${name}.cpuprofile`,
      ]
    : [];
  return ctx.runtime === 'dist'
    ? [...profile, `services/${name}/dist/main.js`]
    : [...profile, '--import', 'tsx', '--conditions=source', `services/${name}/src/main.ts`];
}

/**
 * Starts the named services as separate processes on free ports against the scratch
 * database and vhost, as `pnpm start:all` does, and waits for each one's /readyz.
 */
export async function startServices(
  ctx: BenchContext,
  scratch: Scratch,
  names: string[],
  extraEnv: Record<string, string> = {},
): Promise<Map<string, Running>> {
  const ports = new Map<string, number>();
  for (const s of SERVICES) ports.set(s.name, await freePort());
  const upstreams: Record<string, string> = {};
  for (const s of SERVICES) {
    upstreams[`${s.name.toUpperCase().replace('-', '_')}_URL`] =
      `http://127.0.0.1:${String(ports.get(s.name))}`;
  }
  const running = new Map<string, Running>();
  for (const name of names) {
    const entry = SERVICES.find((s) => s.name === name);
    if (!entry) throw new Error(`unknown service ${name}`);
    if (ctx.runtime === 'dist' && !existsSync(join(ctx.root, `services/${name}/dist/main.js`))) {
      throw new Error(`services/${name}/dist/main.js is missing: run pnpm build first`);
    }
    const port = ports.get(name) ?? 0;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: scratch.databaseUrl,
      AMQP_URL: scratch.amqpUrl,
      JWT_SECRET: ctx.jwtSecret,
      LOG_LEVEL: 'warn',
      // A load test is one caller at thousands of requests a minute.
      RATE_LIMIT_PER_MINUTE: '100000000',
      ...upstreams,
      ...extraEnv,
    };
    if (entry.schema) env.DATABASE_ROLE = `crm_${entry.schema}`;
    const { child, logFile } = startProcess(ctx, name, entryOf(ctx, name), env);
    running.set(name, { name, url: `http://127.0.0.1:${port}`, child, logFile });
  }
  for (const r of running.values()) await waitReady(r.name, r.url, r.child, r.logFile);
  // Idle memory once every service is up and has settled; the last reading comes before the
  // services are stopped (cleanup runs last-in first-out, after the measurements).
  await sleep(1_000);
  for (const r of running.values()) {
    ctx.memory[r.name] = { idle_mib: rssMibOf(r.child.pid), at_end_mib: null };
  }
  ctx.cleanup.defer('memory at the end', () => {
    for (const r of running.values()) {
      const m = ctx.memory[r.name];
      if (m) m.at_end_mib = rssMibOf(r.child.pid);
    }
    return Promise.resolve();
  });
  ctx.log(`services ready: ${[...running.values()].map((r) => `${r.name} ${r.url}`).join(', ')}`);
  return running;
}

const TICKS_PER_SECOND = 100;

/** Resident set size of a process in MiB, from /proc; null where there is none. */
export function rssMibOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kib === undefined ? null : Number(kib) / 1024;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used, from /proc; null where there is none. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[11]);
    const system = Number(fields[12]);
    return Number.isFinite(user + system) ? (user + system) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/**
 * CPU our processes spent over a span of work: on a machine shared with other loads this
 * moves far less than throughput does, so it is the figure to compare between runs.
 */
export function cpuMeter(
  processes: { name: string; child: ChildProcess }[],
): () => Record<string, number> {
  const before = new Map(processes.map((p) => [p.name, cpuSecondsOf(p.child.pid)]));
  return () => {
    const spent: Record<string, number> = {};
    for (const p of processes) {
      const a = before.get(p.name);
      const b = cpuSecondsOf(p.child.pid);
      if (a !== null && a !== undefined && b !== null) spent[p.name] = b - a;
    }
    return spent;
  };
}

/** The same meter for work done inside the benchmark process itself. */
export function ownCpuMeter(name: string): () => Record<string, number> {
  const before = process.cpuUsage();
  return () => {
    const spent = process.cpuUsage(before);
    return { [name]: (spent.user + spent.system) / 1e6 };
  };
}
