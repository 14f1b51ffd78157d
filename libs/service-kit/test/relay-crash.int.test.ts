import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CRM_EXCHANGE } from '@crm/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, waitFor } from '@crm/testing';
import type { Broker } from '../src/broker.js';
import { OutboxRelay } from '../src/relay.js';
import {
  QueueProbe,
  createTestServiceDb,
  openBroker,
  silentLogger,
  testEnv,
  type TestServiceDb,
} from './support.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const CHILD = join(import.meta.dirname, 'fixtures', 'relay-crash-child.ts');

let svc: TestServiceDb;
let broker: Broker;
let probe: QueueProbe;
let relay: OutboxRelay | null = null;

beforeAll(async () => {
  svc = await createTestServiceDb('crash');
  broker = await openBroker('crash');
  probe = await QueueProbe.bind(CRM_EXCHANGE, '#');
});

afterAll(async () => {
  await relay?.stop();
  await probe.close();
  await broker.close();
  await svc.close();
});

interface ChildOutcome {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCrashingRelay(): Promise<ChildOutcome> {
  const { databaseUrl, amqpUrl } = testEnv();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', CHILD], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl,
        AMQP_URL: amqpUrl,
        KIT_TEST_SCHEMA: svc.schemaName,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the crashing relay did not crash in time\n${stderr}`));
    }, 30_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('a relay killed between claim and publish', () => {
  it('leaves the event unsent, and a relay started later delivers it exactly once', async () => {
    const event = buildEvent('crm.customer.created.v1');
    await svc.database.db.transaction(async (tx) => {
      await svc.outbox.append(tx, { event });
    });

    const outcome = await runCrashingRelay();
    expect(outcome.signal, outcome.stderr).toBe('SIGKILL');
    expect(outcome.stdout).toContain(event.id);

    const outbox = svc.tables.outbox;
    // The claim died with its connection: the row is unsent and can be claimed again.
    const row = await waitFor(async () => {
      const [r] = await svc.database.db
        .select()
        .from(outbox)
        .where(eq(outbox.id, event.id))
        .for('update', { skipLocked: true });
      return r;
    });
    expect(row.sentAt).toBeNull();
    expect(row.attempts).toBe(0);
    expect(probe.count(event.id)).toBe(0);

    relay = new OutboxRelay({
      pool: svc.database.pool,
      databaseUrl: testEnv().databaseUrl,
      schema: svc.schemaName,
      broker,
      logger: silentLogger,
      pollMs: 100,
    });
    await relay.start();
    await waitFor(() => probe.count(event.id) === 1, { what: 'event delivered after restart' });
    await waitFor(async () => {
      const [r] = await svc.database.db.select().from(outbox).where(eq(outbox.id, event.id));
      return r?.sentAt;
    });

    // A second event through the same relay: once it is in, nothing of the first is still on its way.
    const later = buildEvent('crm.customer.created.v1');
    await svc.database.db.transaction(async (tx) => {
      await svc.outbox.append(tx, { event: later });
    });
    await waitFor(() => probe.count(later.id) === 1);
    expect(probe.count(event.id)).toBe(1);
  });
});
