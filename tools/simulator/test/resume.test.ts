import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type ChannelModel } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { deriveTenantIds, generate, splitCustomers } from '../src/index.js';
import { readState } from '../src/state.js';
import { ingestStandIn } from './standin.js';
import { tap, waitForIds } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'tools/simulator/src/cli.ts');
const NOW = '2026-11-24T12:00:00.000Z';
const SECRET = 'resume-secret';
const work = mkdtempSync(path.join(tmpdir(), 'simulator-resume-'));

interface Child {
  pid: number | undefined;
  kill: (signal: NodeJS.Signals) => void;
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** The command as the root `simulate` script runs it, in a process of its own. */
function simulate(args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    pid: child.pid,
    kill: (signal) => child.kill(signal),
    done: new Promise((resolve) => {
      child.on('close', (code, signal) => {
        resolve({ code, signal, stdout, stderr });
      });
    }),
  };
}

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Two tenants of a 300-customer world, as the command splits them. */
const WORLD = ['--seed', '31', '--tenants', '2', '--customers', '300', '--months', '4'];
const expected = generate({
  seed: 31,
  tenants: deriveTenantIds(31, 2),
  customers: splitCustomers(31, 300, 2),
  months: 4,
  now: new Date(NOW),
});

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

describe('resuming an interrupted run', () => {
  it('continues after --stop-after where it stopped, and then has nothing left to do', async () => {
    const server = await ingestStandIn(SECRET);
    servers.push(server);
    const stateFile = path.join(work, 'stop.json');
    const truthFile = path.join(work, 'stop.truth.jsonl');
    const args = [
      ...WORLD,
      '--now',
      NOW,
      '--via',
      'http',
      '--ingest-url',
      server.url,
      '--state-file',
      stateFile,
      '--truth-file',
      truthFile,
      '--quiet',
    ];
    const env = { BOOKINGX_INGEST_SECRET: SECRET };

    const first = await simulate([...args, '--stop-after', '1037'], env).done;
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(server.ids()).toHaveLength(1037);
    expect(readState(stateFile)).toMatchObject({ confirmed: 1037, done: false });

    // The same command without --now: the state file supplies it.
    const argsWithoutNow = args.filter((a, i) => a !== '--now' && args[i - 1] !== '--now');
    const second = await simulate(argsWithoutNow, env).done;
    expect(second.code).toBe(0);
    expect(server.ids()).toEqual(expect.arrayContaining(expected.map((e) => e.id)));
    expect(server.ids()).toHaveLength(expected.length);
    expect(duplicates(server.ids())).toEqual([]);
    expect(readState(stateFile)).toMatchObject({ confirmed: expected.length, done: true });
    // The truth file covers the whole world even though its events came in two runs.
    expect(readFileSync(truthFile, 'utf8').trim().split('\n')).toHaveLength(300);

    const third = await simulate([...args.filter((a) => a !== '--quiet')], env).done;
    expect(third.code).toBe(0);
    expect(third.stderr).toContain('nothing to do');
    expect(server.ids()).toHaveLength(expected.length);
  });

  it('after a kill -9, resends at most the batch that was in flight', async () => {
    const running: { child?: Child } = {};
    // The fourth request is received and recorded, but the process dies before the reply.
    const server = await ingestStandIn(SECRET, (n) => {
      if (n !== 4) return undefined;
      running.child?.kill('SIGKILL');
      return { status: 202, delayMs: 300 };
    });
    servers.push(server);
    const stateFile = path.join(work, 'kill.json');
    const args = [
      ...WORLD,
      '--now',
      NOW,
      '--via',
      'http',
      '--ingest-url',
      server.url,
      '--ingest-secret',
      SECRET,
      '--batch-size',
      '50',
      '--state-file',
      stateFile,
      '--quiet',
    ];

    running.child = simulate(args);
    const killed = await running.child.done;
    expect(killed.signal).toBe('SIGKILL');
    const recorded = readState(stateFile)?.confirmed ?? 0;
    expect(recorded).toBe(150);
    expect(server.ids()).toHaveLength(200);

    const resumed = await simulate(args).done;
    expect(resumed.code).toBe(0);
    const ids = server.ids();
    expect(new Set(ids)).toEqual(new Set(expected.map((e) => e.id)));
    // Only the unconfirmed batch comes twice: received before the kill, not recorded as confirmed.
    expect(duplicates(ids)).toHaveLength(50);
    expect(new Set(duplicates(ids))).toEqual(new Set(server.batches[3]?.events.map((e) => e.id)));
  });

  it('on Ctrl-C, confirms what is in flight, records it and exits 130; the rerun repeats nothing', async () => {
    const running: { child?: Child } = {};
    const server = await ingestStandIn(SECRET, (n) => {
      if (n === 3) running.child?.kill('SIGINT');
      return { status: 202, delayMs: n === 3 ? 200 : 0 };
    });
    servers.push(server);
    const stateFile = path.join(work, 'sigint.json');
    const args = [
      ...WORLD,
      '--now',
      NOW,
      '--via',
      'http',
      '--ingest-url',
      server.url,
      '--ingest-secret',
      SECRET,
      '--batch-size',
      '100',
      '--state-file',
      stateFile,
    ];

    running.child = simulate(args);
    const interrupted = await running.child.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('interrupted after');
    const state = readState(stateFile);
    expect(state?.done).toBe(false);
    expect(state?.confirmed).toBe(server.ids().length);
    expect(server.ids().length).toBeLessThan(expected.length);

    const resumed = await simulate([...args, '--quiet']).done;
    expect(resumed.code).toBe(0);
    expect(server.ids()).toHaveLength(expected.length);
    expect(new Set(server.ids())).toEqual(new Set(expected.map((e) => e.id)));
  });

  it('refuses a state file made by another run', async () => {
    const stateFile = path.join(work, 'other.json');
    const server = await ingestStandIn(SECRET);
    servers.push(server);
    const http = ['--via', 'http', '--ingest-url', server.url, '--ingest-secret', SECRET];
    const first = await simulate([
      ...WORLD,
      '--now',
      NOW,
      ...http,
      '--state-file',
      stateFile,
      '--stop-after',
      '10',
      '--quiet',
    ]).done;
    expect(first.code).toBe(0);

    const other = await simulate([
      ...WORLD.map((a) => (a === '31' ? '32' : a)),
      '--now',
      NOW,
      ...http,
      '--state-file',
      stateFile,
    ]).done;
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('records another run (seed 31');
    expect(server.ids()).toHaveLength(10);
  });
});

describe('resuming a run on the bus', () => {
  const url = inject('amqpUrl');
  let connection: ChannelModel;

  beforeAll(async () => {
    connection = await connect(url);
  });

  afterAll(async () => {
    await connection.close();
  });

  it('publishes the rest after a stop, the union being the whole stream once', async () => {
    const received = await tap(await connection.createChannel());
    const stateFile = path.join(work, 'bus.json');
    const args = [...WORLD, '--now', NOW, '--window', '25', '--state-file', stateFile, '--quiet'];

    const first = await simulate([...args, '--stop-after', '333'], { AMQP_URL: url }).done;
    expect(first.code).toBe(0);
    expect(readState(stateFile)?.confirmed).toBe(333);
    const second = await simulate(args, { AMQP_URL: url }).done;
    expect(second.code).toBe(0);

    const messages = await waitForIds(received, expected);
    const ids = messages.map((m) => String(m.properties.messageId));
    expect(ids).toEqual(expected.map((e) => e.id));
  });
});
