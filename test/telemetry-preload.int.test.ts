import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { runMigrations } from '@crm/service-kit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { api, testEnv, tokenFor, waitFor } from '@crm/testing';
import { migrationsFolder } from '../services/profiles/src/db/migrations-folder.js';

/** A stand-in OTLP/HTTP collector: keeps the span names and attributes it receives. */
interface ReceivedSpan {
  name: string;
  attributes: Record<string, unknown>;
}

const spans: ReceivedSpan[] = [];
let collector: Server;

afterAll(async () => {
  await new Promise((r) => collector.close(r));
});

function startCollector(): Promise<string> {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans?: {
            scopeSpans?: {
              spans?: { name: string; attributes?: { key: string; value: unknown }[] }[];
            }[];
          }[];
        };
        for (const rs of body.resourceSpans ?? []) {
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                name: s.name,
                attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, a.value])),
              });
            }
          }
        }
      } catch {
        // not JSON: not ours to read
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => {
    collector.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(collector.address() as AddressInfo).port}`);
    });
  });
}

describe('tracing preload', () => {
  it('instruments HTTP and PostgreSQL of a service started with --import @crm/service-kit/telemetry', async () => {
    await runMigrations({
      databaseUrl: inject('databaseUrl'),
      schema: 'profiles',
      migrationsFolder,
    });
    const endpoint = await startCollector();
    const port = 20000 + Math.floor(Math.random() * 10000);
    const root = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=source',
        '--import',
        '@crm/service-kit/telemetry',
        'services/profiles/src/main.ts',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          ...testEnv({
            PORT: String(port),
            OTEL_ENABLED: 'true',
            OTEL_SERVICE_NAME: 'profiles',
            OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok,
        { what: `the traced service to be ready: ${output}`, timeoutMs: 30_000 },
      );
      const list = await api(`http://127.0.0.1:${port}`)
        .as(await tokenFor(randomUUID(), 'admin'))
        .get('/crm/customers');
      expect(list.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
    // Shutdown flushes the spans to the collector.
    expect(spans.some((s) => s.name.startsWith('GET'))).toBe(true);
    expect(
      spans.some((s) => s.attributes['db.system'] !== undefined || s.name.startsWith('pg.')),
    ).toBe(true);
  });
});
