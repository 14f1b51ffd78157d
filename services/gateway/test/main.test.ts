import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMigrations } from '@crm/service-kit';
import { sleep, testAmqpUrl, testDatabaseUrl } from '@crm/testing';
import { migrationsFolder } from '../src/db/migrations-folder.js';
import {
  SECRET,
  TENANT_A,
  allUpstreamsAt,
  bearer,
  startFakeUpstream,
  tokenFor,
  type FakeUpstream,
} from './support.js';

const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let slow: FakeUpstream;

beforeAll(async () => {
  await runMigrations({ databaseUrl: testDatabaseUrl(), schema: 'gateway', migrationsFolder });
  slow = await startFakeUpstream({ delayMs: 1_500 });
});

afterAll(async () => {
  await slow.close();
});

it('serves metrics apart from the public port, and finishes the request in flight on SIGTERM, then exits 0', async () => {
  const child = spawn(TSX, ['--conditions=source', MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_SECRET: SECRET,
      DATABASE_URL: testDatabaseUrl(),
      AMQP_URL: testAmqpUrl(),
      ...allUpstreamsAt(slow.url),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  try {
    let url: string | undefined;
    let metricsUrl: string | undefined;
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /"msg":"gateway listening"/.test(line) && /"url":"([^"]+)"/.exec(line);
      if (match && match[1]) {
        url = match[1];
        metricsUrl = /"metrics_url":"([^"]+)"/.exec(line)?.[1];
        break;
      }
    }
    // Later log lines must not fill the pipe and block the child.
    child.stdout.resume();
    expect(url).toBeDefined();

    // The public port serves no metrics; their own listener does.
    expect((await fetch(`${url ?? ''}/metrics`)).status).toBe(404);
    expect(metricsUrl).toBeDefined();
    const metrics = await fetch(`${metricsUrl ?? ''}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# TYPE http_request_duration_seconds histogram');

    const inFlight = fetch(`${url ?? ''}/crm/customers`, {
      headers: { Authorization: bearer(await tokenFor(TENANT_A)) },
    });
    for (let i = 0; i < 100 && slow.received.length === 0; i++) await sleep(20);
    expect(slow.received.length).toBe(1);
    child.kill('SIGTERM');

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
