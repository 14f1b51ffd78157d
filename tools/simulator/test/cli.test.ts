import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { connect, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_AMQP_URL, parseCliArgs, UsageError } from '../src/args.js';
import { DEMO_TENANT_ID, deriveTenantIds, generate } from '../src/index.js';
import { closedPort, tap, waitForIds } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'tools/simulator/src/cli.ts');
const NOW = '2026-11-24T12:00:00.000Z';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as the root `simulate` script runs it: tsx, workspace sources. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', CLI, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('parseCliArgs', () => {
  it('defaults to the demo tenant, 200 customers, 12 months, seed 42 and a local broker', () => {
    expect(parseCliArgs([], {})).toEqual({
      seed: 42,
      customers: 200,
      customersPerTenant: [200],
      months: 12,
      tenants: [DEMO_TENANT_ID],
      business: undefined,
      now: undefined,
      via: 'bus',
      amqpUrl: DEFAULT_AMQP_URL,
      window: 500,
      ingestUrl: undefined,
      ingestSecret: undefined,
      batchSize: 500,
      outDir: undefined,
      gzip: false,
      stateFile: undefined,
      stopAfter: undefined,
      truthFile: undefined,
      dryRun: false,
      quiet: false,
      help: false,
    });
  });

  it('splits --customers over several tenants as their total', () => {
    const one = parseCliArgs(['--customers', '1000'], {});
    expect(one.customersPerTenant).toEqual([1000]);
    const many = parseCliArgs(['--customers', '1000', '--tenants', '20'], {});
    expect(many.customersPerTenant).toHaveLength(20);
    expect(many.customersPerTenant.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(parseCliArgs(['--customers', '1000', '--tenants', '20'], {})).toEqual(many);
  });

  it('reads the output options of each mode', () => {
    const http = parseCliArgs(
      ['--via', 'http', '--ingest-url', 'http://127.0.0.1:9/x', '--batch-size', '100'],
      { BOOKINGX_INGEST_SECRET: 's3cret' },
    );
    expect(http).toMatchObject({
      via: 'http',
      ingestUrl: 'http://127.0.0.1:9/x',
      ingestSecret: 's3cret',
      batchSize: 100,
    });
    const files = parseCliArgs(['--via', 'files', '--out-dir', '/tmp/x', '--gzip'], {});
    expect(files).toMatchObject({ via: 'files', outDir: '/tmp/x', gzip: true });
    const runs = parseCliArgs(
      ['--state-file', 's.json', '--stop-after', '10', '--truth-file', 't.jsonl'],
      {},
    );
    expect(runs).toMatchObject({ stateFile: 's.json', stopAfter: 10, truthFile: 't.jsonl' });
    expect(parseCliArgs(['--business', 'barber'], {}).business).toBe('barber');
  });

  it('reads the broker from AMQP_URL unless --amqp-url is given', () => {
    expect(parseCliArgs([], { AMQP_URL: 'amqp://a/b' }).amqpUrl).toBe('amqp://a/b');
    expect(parseCliArgs(['--amqp-url', 'amqp://c'], { AMQP_URL: 'amqp://a/b' }).amqpUrl).toBe(
      'amqp://c',
    );
  });

  it('accepts the leading "--" pnpm passes through', () => {
    expect(parseCliArgs(['--', '--customers', '300'], {}).customers).toBe(300);
  });

  it('derives --tenants from the seed, or takes repeated --tenant', () => {
    expect(parseCliArgs(['--tenants', '3', '--seed', '5'], {}).tenants).toEqual(
      deriveTenantIds(5, 3),
    );
    const a = randomUUID();
    const b = randomUUID();
    expect(parseCliArgs(['--tenant', a, '--tenant', b], {}).tenants).toEqual([a, b]);
  });

  it.each([
    [['--customers', 'many']],
    [['--customers', '0']],
    [['--months', '1.5']],
    [['--tenant', 'acme']],
    [['--tenants', '2', '--tenant', DEMO_TENANT_ID]],
    [['--now', 'yesterday']],
    [['--amqp-url', 'http://localhost']],
    [['--frobnicate']],
    [['stray']],
    [['--tenants', '5', '--customers', '3']],
    [['--business', 'bakery']],
    [['--via', 'carrier-pigeon']],
    [['--via', 'http', '--ingest-secret', 'x']],
    [['--via', 'http', '--ingest-url', 'http://127.0.0.1:9/x']],
    [
      [
        '--via',
        'http',
        '--ingest-url',
        'http://h/x',
        '--ingest-secret',
        'x',
        '--batch-size',
        '501',
      ],
    ],
    [['--via', 'files']],
    [['--gzip']],
    [['--out-dir', '/tmp/x']],
    [['--window', '10', '--via', 'files', '--out-dir', '/tmp/x']],
    [['--dry-run', '--state-file', 's.json']],
    [['--stop-after', '0']],
  ])('refuses %j', (args) => {
    expect(() => parseCliArgs(args, {})).toThrow(UsageError);
  });
});

describe('simulate command', () => {
  const url = inject('amqpUrl');
  let connection: ChannelModel;

  beforeAll(async () => {
    connection = await connect(url);
  });

  afterAll(async () => {
    await connection.close();
  });

  it('publishes the simulation and prints the count per type', async () => {
    const received = await tap(await connection.createChannel());
    const tenant = randomUUID();
    const args = [
      '--seed',
      '9',
      '--customers',
      '4',
      '--months',
      '2',
      '--now',
      NOW,
      '--tenant',
      tenant,
    ];

    const result = await run(['--', ...args, '--quiet'], { AMQP_URL: url });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = generate({
      seed: 9,
      customers: 4,
      months: 2,
      now: new Date(NOW),
      tenants: [tenant],
    });
    expect(result.stdout).toMatch(new RegExp(`total\\s+${expected.length}\\n`));
    expect(result.stdout).toMatch(
      new RegExp(
        `Published to bookingx\\.events: ${expected.length} events in [\\d.]+ s \\(\\d+ events/s\\)`,
      ),
    );
    const messages = await waitForIds(received, expected);
    expect(messages.map((m) => String(m.properties.messageId))).toEqual(expected.map((e) => e.id));
  });

  it('only counts on --dry-run, with progress notes on stderr', async () => {
    const result = await run([
      '--dry-run',
      '--customers',
      '5',
      '--now',
      NOW,
      '--amqp-url',
      'amqp://127.0.0.1:1',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/bookingx\.customer\.created\.v1\s+5\n/);
    expect(result.stdout).toMatch(/Generated \(dry run, nothing published\): \d+ events/);
    expect(result.stderr).toContain(`tenant ${DEMO_TENANT_ID}`);
  });

  it('exits 1 with a readable message when the broker is unreachable', async () => {
    const port = await closedPort();
    const result = await run([
      '--customers',
      '2',
      '--quiet',
      '--amqp-url',
      `amqp://guest:pw@127.0.0.1:${port}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^simulate: cannot connect to RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:\d+/,
    );
    expect(result.stderr).not.toContain('    at ');
  });

  it('exits 2 with the usage on bad arguments', async () => {
    const result = await run(['--customers', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--customers must be a whole number');
    expect(result.stderr).toContain('Usage: pnpm simulate');
  });
});
